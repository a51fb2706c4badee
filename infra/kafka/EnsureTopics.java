import java.util.*;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Waits until the broker really serves metadata, then makes sure every topic named on
 * the command line exists with at least the given partition count. One JVM does the
 * readiness check and all topics, because each extra JVM start costs seconds.
 * Run by scripts/infra.sh as a single-file program:
 *   java -cp "libs/*" EnsureTopics.java BOOTSTRAP PARTITIONS TIMEOUT_SECONDS TOPIC...
 */
public class EnsureTopics {
  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    int partitions = Integer.parseInt(args[1]);
    long deadline = System.currentTimeMillis() + Long.parseLong(args[2]) * 1000;
    List<String> wanted = Arrays.asList(args).subList(3, args.length);

    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");

    try (Admin admin = Admin.create(props)) {
      Set<String> existing = waitForMetadata(admin, deadline);
      List<NewTopic> missing = new ArrayList<>();
      for (String t : wanted) if (!existing.contains(t)) missing.add(new NewTopic(t, partitions, (short) 1));
      for (var created : admin.createTopics(missing).values().values()) {
        try {
          created.get();
        } catch (ExecutionException ex) {
          if (!(ex.getCause() instanceof TopicExistsException)) throw ex; // created concurrently
        }
      }
      // A topic auto-created by a client before this ran gets num.partitions; grow it if short.
      Map<String, NewPartitions> grow = new HashMap<>();
      admin.describeTopics(wanted).allTopicNames().get().forEach((name, d) -> {
        if (d.partitions().size() < partitions) grow.put(name, NewPartitions.increaseTo(partitions));
      });
      if (!grow.isEmpty()) admin.createPartitions(grow).all().get();
      System.out.printf("topics ok: %d (created %d, grown %d), %d partitions each%n",
          wanted.size(), missing.size(), grow.size(), partitions);
    }
  }

  private static Set<String> waitForMetadata(Admin admin, long deadline) throws Exception {
    while (true) {
      try {
        admin.describeCluster().nodes().get();
        return admin.listTopics().names().get();
      } catch (ExecutionException e) {
        if (System.currentTimeMillis() > deadline) throw e;
        Thread.sleep(500);
      }
    }
  }
}
