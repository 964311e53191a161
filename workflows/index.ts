export { deliverCallback } from './deliverCallback';
export { merchant } from './merchant';
