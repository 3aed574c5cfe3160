// HTTP cells: the REST Client grammar, variable substitution, sending (fetch, or node:http through an SSH
// tunnel), response formatting with credentials masked, and the executor.
export { HttpExecutor, type HttpExecutorOptions } from './executor.js';
export { parseHttpCell, METHODS, type HttpRequestSpec, type ParsedHttpCell } from './parse.js';
export { substitute, hasTemplate, TemplateError, type NamedResponse, type Substituted, type TemplateContext } from './variables.js';
export { sendRequest, type OutgoingRequest, type ReceivedResponse, type Route, type SendOptions } from './send.js';
export { bodyView, headerSecrets, isSensitiveHeader, maskHeader, prettyJson, responseText } from './format.js';
export { describeRequestError } from './errors.js';
export { openForward, TunnelUnavailableError, type Connect, type Forward } from './tunnel.js';
