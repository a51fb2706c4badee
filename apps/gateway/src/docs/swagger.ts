import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

export function setupSwagger(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Campaign Platform API')
    .setDescription(
      'Multi-tenant campaign execution. Every /api/v1 route needs `Authorization: Bearer <key>`; ' +
        'responses use the envelope `{ success, data, pagination? }`, errors `{ success: false, message, error: { code, details? } }`.',
    )
    .setVersion('1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key (cpk_…)' })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
