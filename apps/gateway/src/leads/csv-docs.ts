import { applyDecorators } from '@nestjs/common';
import { ApiProduces, ApiResponse } from '@nestjs/swagger';

/** Documents a streamed CSV download with an example body. */
export function ApiCsv(example: string, description: string) {
  return applyDecorators(
    ApiProduces('text/csv'),
    ApiResponse({ status: 200, description, content: { 'text/csv': { example } } }),
  );
}
