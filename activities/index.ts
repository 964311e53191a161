export { postCallback } from './postCallback';
export { reportEndpointExhausted } from './reportEndpointExhausted';
