import { Module } from '@nestjs/common';
import { ConsentPolicyController } from './consent-policy.controller';
import { ConsentPolicyService } from './consent-policy.service';

@Module({
  controllers: [ConsentPolicyController],
  providers: [ConsentPolicyService],
  exports: [ConsentPolicyService],
})
export class ConsentModule {}
