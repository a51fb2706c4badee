import { RpcController, RpcRequest, scopeOf } from '@app/common';
import { ExportTicket, LeadFiltersQuery, LeadsApiRpc } from '@app/contracts';
import { Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload, TcpContext } from '@nestjs/microservices';
import { LEADS_ENV, LeadsEnv } from '../leads-env';
import { ExportService } from './export.service';

/** An address as a URL host: IPv6 in brackets. */
const urlHost = (address: string) => (address.includes(':') ? `[${address}]` : address);

@RpcController()
export class ExportController {
  constructor(
    private readonly exporter: ExportService,
    @Inject(LEADS_ENV) private readonly env: LeadsEnv,
  ) {}

  /**
   * Opens an export: the URL the caller then reads the CSV from (export-stream.controller.ts).
   * Its host is the address the caller reached this process at over RPC, so that with several
   * replicas the stream comes from the one holding the ticket.
   */
  @MessagePattern(LeadsApiRpc.exportOpen)
  open(
    @Payload() req: RpcRequest<{ filters?: LeadFiltersQuery }>,
    @Ctx() tcp: TcpContext,
  ): ExportTicket {
    const ticket = this.exporter.open(req.ctx, scopeOf(req.ctx), req.data.filters ?? {});
    const address = tcp.getSocketRef().socket.localAddress ?? '127.0.0.1';
    return {
      url: `http://${urlHost(address)}:${this.env.HEALTH_PORT}/internal/exports/${ticket}`,
    };
  }
}
