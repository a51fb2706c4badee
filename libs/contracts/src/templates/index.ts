export * from './template.dto';
