import { applyDecorators, Controller, UseFilters, UseInterceptors } from '@nestjs/common';
import { RpcContextInterceptor, RpcErrorFilter } from './rpc';

/** A controller of RPC handlers: request context restored, errors serialised for the caller. */
export function RpcController(): ClassDecorator {
  return applyDecorators(
    Controller(),
    UseInterceptors(RpcContextInterceptor),
    UseFilters(RpcErrorFilter),
  );
}
