import { ValidationError } from '@app/common';
import { CreateImportInput, ImportLeadsDto } from '@app/contracts';
import * as fs from 'node:fs';

/** Multipart upload (already spooled to disk by multer) → the leads service's import input. */
export function importInput(
  file: Express.Multer.File | undefined,
  dto: ImportLeadsDto,
  campaignId?: string,
): CreateImportInput {
  if (!file)
    throw new ValidationError('Attach the CSV as the multipart field `file`', [
      { field: 'file', message: 'file is required' },
    ]);
  let mapping: Record<string, string> | undefined;
  if (dto.mapping) {
    try {
      mapping = JSON.parse(dto.mapping);
    } catch {
      mapping = undefined;
    }
    if (!mapping || typeof mapping !== 'object' || Array.isArray(mapping)) {
      fs.rmSync(file.path, { force: true });
      throw new ValidationError('mapping must be a JSON object of CSV header → field', [
        { field: 'mapping', message: 'must be a JSON object' },
      ]);
    }
  }
  return {
    filePath: file.path,
    fileName: file.originalname,
    fileBytes: file.size,
    campaignId,
    duplicatePolicy: dto.duplicatePolicy,
    mapping,
    source: dto.source,
    triggerCampaigns: dto.triggerCampaigns === 'true',
  };
}

export function discardUpload(file?: Express.Multer.File): void {
  if (file) fs.rmSync(file.path, { force: true });
}
