/** Every panels/*.tsx default export, sorted by file name; built by build-dashboard.ts. */
declare module 'dashboard:panels' {
  const panels: import('./panel.ts').PanelDefinition[];
  export default panels;
}
