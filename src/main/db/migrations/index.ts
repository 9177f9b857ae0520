import { migration001 } from './001-users'
import { migration002 } from './002-second-factors'
import { migration003 } from './003-directory-indexes'
import { migration004 } from './004-every-guess-counted'
import { migration005 } from './005-scale'
import { migration006 } from './006-request-recipients'
import { migration007 } from './007-lean-search-index'
import { migration008 } from './008-hardware-tokens'
import { migration009 } from './009-security-keys'
import { migration010 } from './010-phone'
import { migration011 } from './011-audit-head'
import { migration012 } from './012-sessions'
import { migration013 } from './013-audit-name-filters'
import { migration014 } from './014-data-key-check'
import { migration015 } from './015-jobs'
import { migration016 } from './016-directory-source'
import { migration017 } from './017-several-methods'
import { migration018 } from './018-user-source'
import { migration019 } from './019-user-language'
import type { Migration } from './types'

/** In order; each version exactly once. A new migration is a new file appended here. */
export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration008, migration009, migration010, migration011, migration012, migration013, migration014, migration015, migration016, migration017, migration018, migration019]

export const LATEST_VERSION = MIGRATIONS.at(-1)?.version ?? 0
