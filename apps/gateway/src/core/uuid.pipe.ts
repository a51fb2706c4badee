import { ValidationError } from '@app/common';
import { Injectable, PipeTransform, ArgumentMetadata } from '@nestjs/common';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Path ids must be UUIDs; anything else is a 400 naming the parameter. */
@Injectable()
export class UuidPipe implements PipeTransform<string, string> {
  transform(value: string, meta: ArgumentMetadata): string {
    if (!UUID.test(value)) {
      const name = meta.data ?? 'id';
      throw new ValidationError(`${name} must be a UUID`, [
        { field: name, message: `${name} must be a UUID` },
      ]);
    }
    return value.toLowerCase();
  }
}
