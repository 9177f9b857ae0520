/**
 * Packaging with electron-builder: `npm run dist` (AppImage and deb on Linux, NSIS on Windows,
 * dmg on macOS; each builds on its own OS). Electron's fuses are flipped in the packaged binary
 * (electron-builder applies `electronFuses` with @electron/fuses, before signing): no running as
 * plain Node, no NODE_OPTIONS, no --inspect, the app loaded only from its asar archive and that
 * archive's integrity checked (Electron security checklist item 19).
 * @type {import('electron-builder').Configuration}
 */
module.exports = {
  appId: 'org.tessera.console',
  productName: 'Tessera',
  executableName: 'tessera',
  copyright: 'Tessera contributors',
  directories: { output: 'dist', buildResources: 'resources' },
  // The built app only: out/ holds main, preload, worker and renderer; production dependencies come along.
  files: ['out/**', 'package.json', '!**/*.map'],
  asar: true,
  // better-sqlite3's native module is loaded from a real file, never from inside the archive.
  asarUnpack: ['node_modules/better-sqlite3/**'],
  // Its prebuilt binary is N-API (ABI-stable across Node and Electron): nothing to rebuild.
  npmRebuild: false,
  protocols: [{ name: 'Tessera registration link', schemes: ['tessera'] }],
  electronFuses: {
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    enableCookieEncryption: true,
    grantFileProtocolExtraPrivileges: false
  },
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Utility',
    icon: 'resources/icons',
    mimeTypes: ['x-scheme-handler/tessera'],
    synopsis: 'Offline two-factor authentication console'
  },
  deb: { packageCategory: 'utils' },
  win: { target: 'nsis', icon: 'resources/icon.ico' },
  nsis: { oneClick: false, perMachine: true, allowToChangeInstallationDirectory: true },
  mac: { target: 'dmg', icon: 'resources/icon.icns', category: 'public.app-category.utilities', hardenedRuntime: true }
}
