export * from './campaign.enums';
export * from './campaign-parts.dto';
export * from './campaign.dto';
export * from './step.dto';
export * from './task.dto';
export * from './content.dto';
export * from './views';
