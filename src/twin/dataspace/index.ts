export { type DemoReport, runDataspaceDemo } from './demo.ts';
export { type DataspaceOptions, dataspacePlugin } from './plugin.ts';
export { catalogueDescription, loadPublication, type Publication, parsePublication } from './publication.ts';
