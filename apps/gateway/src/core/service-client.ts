// The gateway's clients of the four services: the shared client of libs/common.
export { ServiceClient } from '@app/common';
