/** The toolkit version recorded in every output file. Keep in step with package.json. */
export const TOOLKIT_VERSION = '0.1.0';
