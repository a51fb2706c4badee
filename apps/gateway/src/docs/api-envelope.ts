import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

/** Documents a route's success response, wrapped in the envelope, with an example. */
export function ApiEnvelope(example: unknown, status = 200, pagination?: Record<string, unknown>) {
  return applyDecorators(
    ApiResponse({
      status,
      description: 'Success',
      schema: { example: { success: true, data: example, ...(pagination ? { pagination } : {}) } },
    }),
    ApiResponse({
      status: 400,
      description: 'Invalid input; every problem is listed with its field',
      schema: {
        example: {
          success: false,
          message: 'Invalid request: name should not be empty',
          error: {
            code: 'VALIDATION_FAILED',
            details: [{ field: 'name', rule: 'isNotEmpty', message: 'name should not be empty' }],
          },
        },
      },
    }),
    ApiResponse({
      status: 401,
      description: 'Missing, malformed, unknown or revoked API key',
      schema: {
        example: {
          success: false,
          message: 'Invalid or missing API key: unknown key',
          error: { code: 'UNAUTHORIZED' },
        },
      },
    }),
  );
}
