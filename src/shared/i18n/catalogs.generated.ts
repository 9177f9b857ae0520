// Written by `node scripts/i18n.mjs` from src/shared/i18n/catalogs: do not edit.
/* eslint-disable @typescript-eslint/no-empty-object-type -- a message without parameters takes {} */

import en_common from './catalogs/en/common.json'
import ja_common from './catalogs/ja/common.json'
import ko_common from './catalogs/ko/common.json'
import vi_common from './catalogs/vi/common.json'

/** Each locale's catalogs by area (a message's id is `<area>.<key>`). */
export const CATALOG_AREAS = {
  en: { 'common': en_common },
  ja: { 'common': ja_common },
  ko: { 'common': ko_common },
  vi: { 'common': vi_common },
} as const

/** Every message id, with the parameters its English text takes. */
export interface MessageParams {
  'common.cannotStart': {}
  'common.language': {}
  'common.loading': {}
  'common.unreachable.body': {}
  'common.unreachable.retrying': {}
  'common.unreachable.title': {}
}
