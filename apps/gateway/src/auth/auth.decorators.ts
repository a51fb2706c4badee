import { currentContext, DomainError, RequestContext } from '@app/common';
import { createParamDecorator, SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'auth:public';
export const ADMIN_ONLY = 'auth:admin';

/** No API key needed (health, docs, tracking links). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
/** Only tenant admin keys. */
export const AdminOnly = () => SetMetadata(ADMIN_ONLY, true);

/** The authenticated request context (request id, tenant, workspace, key). */
export const Ctx = createParamDecorator((): RequestContext => {
  const ctx = currentContext();
  if (!ctx?.tenantId) throw new DomainError('UNAUTHORIZED', 'Invalid or missing API key', 401);
  return ctx;
});
