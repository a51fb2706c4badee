import { isUuid, ValidationError } from '@app/common';
import { Injectable, PipeTransform, ArgumentMetadata } from '@nestjs/common';

/** Path ids must be UUIDs; anything else is a 400 naming the parameter. */
@Injectable()
export class UuidPipe implements PipeTransform<string, string> {
  transform(value: string, meta: ArgumentMetadata): string {
    if (!isUuid(value)) {
      const name = meta.data ?? 'id';
      throw new ValidationError(`${name} must be a UUID`, [
        { field: name, message: `${name} must be a UUID` },
      ]);
    }
    return value.toLowerCase();
  }
}
