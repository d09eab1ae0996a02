/**
 * The configuration `npm start` uses: three institutions, one with `@` in its symbol, with bib
 * and LHR collections and Metadata API keys, so a trainer can show every rule without writing a
 * file first.
 */
export const DEMO_CONFIG_YAML = `# datasync-sim demo configuration
dataDir: .datasync-sim
sftp: { host: 127.0.0.1, port: 2222 }
admin: { host: 127.0.0.1, port: 8080 }
fileNames: strict
pickupDelay: 0s
processing: immediate
institutions:
  - symbol: PUL
    password: pul-demo
    uploadsFor: []
    collections:
      - { id: "1012676", type: bib, default: true }
      - { id: "1012677", type: lhr }
    wskeys: [{ key: pul-wskey, secret: pul-wskey-secret }]
  - symbol: "AB@"
    password: ab-demo
    collections:
      - { id: "1234567", type: bib, default: true }
      - { id: "7654321", type: lhr }
    wskeys: [{ key: ab-wskey, secret: ab-wskey-secret }]
  - symbol: VND
    password: vnd-demo
    uploadsFor: [PUL]
    collections:
      - { id: "1030040", type: bib, default: true }
`;
