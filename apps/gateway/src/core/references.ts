import { DomainError, ValidationError } from '@app/common';

/**
 * Awaits a lookup of something a request refers to in another service; a 404 there becomes a
 * 400 naming the request's field ("<field>: <what> does not exist"), so nothing is saved.
 */
export async function referenced<T>(lookup: Promise<T>, field: string, what: string): Promise<T> {
  try {
    return await lookup;
  } catch (err) {
    if (err instanceof DomainError && err.status === 404) {
      throw new ValidationError(`${field}: ${what} does not exist`, [
        { field, message: `${what} does not exist` },
      ]);
    }
    throw err;
  }
}
