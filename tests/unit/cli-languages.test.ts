/**
 * Rule: the CLI speaks the reader's language (--lang, else LC_ALL, LC_MESSAGES or LANG): its help,
 * its tables' headers, its report lines and its usage errors, with no English sentence left;
 * command and option names, placeholders and machine values stay as they are, and JSON is the
 * same in every language. English is what it always was.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { main } from '../../src/main/cli/index'
import { width } from '../../src/main/cli/args'
import { tempDir } from '../helpers/engine'
import { freshDatabase } from '../helpers/postgres'

// TESSERA_TEST_STORE=postgres: on a fresh PostgreSQL database, as tests/unit/cli.test.ts.
const onPostgres = (process.env['TESSERA_TEST_STORE'] ?? 'sqlite') === 'postgres'

let dir: ReturnType<typeof tempDir>
let database: Awaited<ReturnType<typeof freshDatabase>> | null = null
const target = () => (database ? ['--database-url', database.url] : [])

/** The CLI with the environment's language variables set as given (and put back afterwards). */
async function cli(args: string[], env: Record<string, string> = { LC_ALL: '', LC_MESSAGES: '', LANG: 'C' }, stdin = '') {
  const saved = Object.fromEntries(['LC_ALL', 'LC_MESSAGES', 'LANG'].map((k) => [k, process.env[k]]))
  Object.assign(process.env, { LC_ALL: '', LC_MESSAGES: '', LANG: '' }, env)
  const out: string[] = []
  const err: string[] = []
  try {
    const code = await main(['--data-dir', dir.dir, ...target(), ...args], { out: (l) => out.push(l), err: (l) => err.push(l), readStdin: async () => stdin })
    return { code, out: out.join('\n'), err: err.join('\n') }
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v
  }
}

beforeAll(async () => {
  dir = tempDir('tessera-cli-languages-')
  database = onPostgres ? await freshDatabase(inject('postgresUrl')) : null
  expect(await cli(['init', '--admin', 'ada', '--email', 'ada@example.org', '--name', 'Ada Lovelace', '--password-stdin'], undefined, 'analytical engine notes\n')).toMatchObject({ code: 0 })
  expect(await cli(['user', 'add', 'grace', '--email', 'grace@example.org', '--password-stdin'], undefined, 'correct horse battery staple\n')).toMatchObject({ code: 0 })
}, 60_000)
afterAll(async () => {
  await database?.drop()
  dir.remove()
})

/** English sentences and headers of the CLI that no other language may show. */
const ENGLISH = [
  'usage:',
  'commands:',
  'create an account',
  'options for every command',
  'Run "tessera',
  'options:',
  "the user's e-mail address",
  'read the password from the first line',
  'USERNAME',
  'STATUS',
  'Not set up',
  'policy saved',
  'the chain is intact',
  '--limit takes a number',
  'run "tessera help" for the commands',
  'no user named'
]

/**
 * English words no sentence of the other languages contains (Vietnamese is written in Latin letters
 * too: "to", "an" and "in" are Vietnamese words, so they are not in the list).
 */
const STOPWORDS = ['the', 'and', 'of', 'is', 'are', 'for', 'with', 'from', 'this', 'that', 'its', 'their', 'every', 'which', 'has', 'was', 'be', 'not', 'or', 'by', 'at', 'into', 'when', 'then', 'than', 'one', 'only', 'print', 'read', 'write', 'create', 'file', 'account', 'password', 'standard', 'input']

/** The English words left in a text, outside command names, option names, placeholders (FILE) and machine values (a role: user). */
function englishLeft(text: string): string[] {
  const prose = text
    .split('\n')
    // A command's usage names the command and its placeholders; the overview's first column is a command's name.
    .filter((line) => !/^(usage|使い方|사용법|cách dùng): /.test(line) && !/^ {2}tessera /.test(line))
    .map((line) => line.replace(/^ {2}[a-z]+(?: [a-z0-9-]+)? +/, '').replace(/--[a-z-]+/g, ''))
    .join('\n')
  return STOPWORDS.filter((w) => new RegExp(`(?<![\\p{L}\\d])${w}(?![\\p{L}\\d])`, 'u').test(prose))
}

/** Where each cell of a table's line starts, in terminal columns (cells are apart by two spaces or more). */
function columnStarts(line: string): number[] {
  const starts: number[] = []
  let column = 0
  for (const part of line.split(/( {2,})/)) {
    if (!/^ +$/.test(part)) starts.push(column)
    column += width(part)
  }
  return starts
}

type Expected = {
  overview: string[]
  userAddHelp: string[]
  headers: string[]
  notSetUp: string
  verified: RegExp
  saved: string
  limit: string
  seeHelp: string
  noUser: string
}

const JA: Expected = {
  overview: ['使い方: tessera [--data-dir DIR] COMMAND [ARGS] [OPTIONS]', '', 'コマンド:', '  init               新しいデータディレクトリに最初の管理者を作成します', '  user add           アカウントを作成します'],
  userAddHelp: ['アカウントを作成します。', 'オプション:', '  --email EMAIL              ユーザーのメールアドレス', '  --password-stdin           パスワードを標準入力の1行目から読み取る'],
  headers: ['ユーザー名', '名前', 'メールアドレス', 'ロール', 'ステータス'],
  notSetUp: '未設定',
  verified: /^正常: \d+行、チェーンは改ざんされていません$/,
  saved: 'ポリシーを保存しました',
  limit: 'error: --limit には1から500までの数値を指定してください',
  seeHelp: 'コマンドの一覧は「tessera help」で表示されます',
  noUser: 'error: nobody というユーザーはいません'
}

const LANGUAGES: { name: string; args: string[]; env?: Record<string, string>; expected: Expected }[] = [
  { name: 'Japanese (--lang ja)', args: ['--lang', 'ja'], expected: JA },
  {
    name: 'Korean (--lang ko)',
    args: ['--lang', 'ko'],
    expected: {
      overview: ['사용법: tessera [--data-dir DIR] COMMAND [ARGS] [OPTIONS]', '', '명령:', '  init               새 데이터 디렉터리에 첫 관리자를 만듭니다', '  user add           계정을 만듭니다'],
      userAddHelp: ['계정을 만듭니다.', '옵션:', '  --email EMAIL              사용자의 이메일 주소', '  --password-stdin           표준 입력의 첫째 줄에서 비밀번호 읽기'],
      headers: ['사용자 이름', '이름', '이메일', '역할', '상태'],
      notSetUp: '미설정',
      verified: /^정상: \d+개 행, 체인이 온전합니다$/,
      saved: '정책을 저장했습니다',
      limit: 'error: --limit에는 1부터 500까지의 숫자를 지정하세요',
      seeHelp: '명령 목록은 "tessera help"로 볼 수 있습니다',
      noUser: 'error: nobody(이)라는 사용자가 없습니다'
    }
  },
  {
    name: 'Vietnamese (--lang vi)',
    args: ['--lang', 'vi'],
    expected: {
      overview: ['cách dùng: tessera [--data-dir DIR] COMMAND [ARGS] [OPTIONS]', '', 'các lệnh:', '  init               tạo quản trị viên đầu tiên trong một thư mục dữ liệu mới', '  user add           tạo một tài khoản'],
      userAddHelp: ['Tạo một tài khoản.', 'tùy chọn:', '  --email EMAIL              địa chỉ email của người dùng', '  --password-stdin           đọc mật khẩu từ dòng đầu tiên của đầu vào chuẩn'],
      headers: ['TÊN NGƯỜI DÙNG', 'HỌ TÊN', 'EMAIL', 'VAI TRÒ', 'TÌNH TRẠNG'],
      notSetUp: 'Chưa thiết lập',
      verified: /^kiểm tra xong: \d+ dòng, chuỗi còn nguyên vẹn$/,
      saved: 'đã lưu chính sách',
      limit: 'error: --limit nhận một số từ 1 đến 500',
      seeHelp: 'chạy "tessera help" để xem danh sách lệnh',
      noUser: 'error: không có người dùng nào tên nobody'
    }
  },
  { name: 'Japanese (LANG=ja_JP.UTF-8)', args: [], env: { LANG: 'ja_JP.UTF-8' }, expected: JA }
]

describe.each(LANGUAGES)('the CLI in $name', { timeout: 60_000 }, ({ args, env, expected }) => {
  const run = (more: string[]) => cli([...args, ...more], env)

  it('says its help in that language: the overview, a command\'s and a group\'s', async () => {
    const overview = await run(['help'])
    expect(overview).toMatchObject({ code: 0, err: '' })
    expect(overview.out.split('\n').slice(0, expected.overview.length)).toEqual(expected.overview)
    const help = await run(['user', 'add', '--help'])
    expect(help.code).toBe(0)
    expect(help.out.split('\n')[0]).toMatch(/ tessera user add NAME --email EMAIL \[--name "Full Name"\] \[--role user\|helpdesk\|admin\]/)
    for (const line of expected.userAddHelp) expect(help.out.split('\n')).toContain(line)
    const group = await run(['user', '--help'])
    for (const text of [overview.out, help.out, group.out]) {
      for (const sentence of ENGLISH) expect(text).not.toContain(sentence)
      expect(englishLeft(text)).toEqual([])
    }
  })

  it('heads its tables in that language, padded to the terminal width of their characters, the machine values as they are', async () => {
    const list = await run(['user', 'list'])
    expect(list.code).toBe(0)
    const [header, ada] = list.out.split('\n')
    expect(header!.split(/ {2,}/)).toEqual(expected.headers)
    expect(ada!.split(/ {2,}/)).toEqual(['ada', 'Ada Lovelace', 'ada@example.org', 'admin', expected.notSetUp])
    // Each column starts where its header does, as a terminal shows them (CJK characters take two columns).
    expect(columnStarts(ada!)).toEqual(columnStarts(header!))
    for (const sentence of ENGLISH) expect(list.out).not.toContain(sentence)
  })

  it('reports in that language', async () => {
    const verified = await run(['audit', 'verify'])
    expect(verified).toMatchObject({ code: 0, err: '' })
    expect(verified.out).toMatch(expected.verified)
    expect(await run(['policy', 'set', 'issuer=Acme Corp'])).toEqual({ code: 0, out: expected.saved, err: '' })
    const refused = await run(['user', 'show', 'nobody'])
    expect(refused).toEqual({ code: 1, out: '', err: expected.noUser })
    for (const text of [verified.out, refused.err]) expect(englishLeft(text)).toEqual([])
  })

  it('exports the audit log with its sentence column in that language, the other columns as in English', async () => {
    const file = join(dir.dir, `audit-${expected.saved.length}.csv`)
    const r = await run(['audit', 'export', '--out', file])
    expect(r.code).toBe(0)
    const [header, first] = readFileSync(file, 'utf8').split('\r\n')
    expect(header).toBe('id,time,event,actor,subject,workstation,details,hash,sentence')
    expect(first).toMatch(/^1,[^,]+,setup\.first-admin,/)
    expect(englishLeft(first!.split(',').at(-1)!)).toEqual([])
    expect(first!.split(',').at(-1)).not.toMatch(/created|administrator/)
  })

  it('says a usage error in that language, with its pointer to the help', async () => {
    const r = await run(['audit', 'list', '--limit', '0'])
    expect(r).toEqual({ code: 2, out: '', err: [expected.limit, expected.seeHelp].join('\n') })
    expect(englishLeft(r.err)).toEqual([])
  })
})

describe('JSON', () => {
  it('is the same in every language, byte for byte', { timeout: 60_000 }, async () => {
    const commands = [['user', 'list', '--json'], ['user', 'show', 'grace', '--json'], ['policy', 'show', '--json'], ['job', 'list', '--json'], ['token', 'list', '--json'], ['key', 'list', 'ada', '--json']]
    const outputs = async (args: string[], env?: Record<string, string>) => {
      const said: string[] = []
      for (const c of commands) said.push((await cli([...args, ...c], env)).out)
      return said
    }
    const english = await outputs(['--lang', 'en'])
    for (const out of english) expect(() => JSON.parse(out)).not.toThrow()
    for (const { args, env } of LANGUAGES) expect(await outputs(args, env)).toEqual(english)
  })
})

describe('English', () => {
  it('is what it always was: the overview, a command\'s help, a table, a report and a usage error', { timeout: 60_000 }, async () => {
    const overview = await cli(['help'])
    expect(overview.out.split('\n').slice(0, 5)).toEqual([
      'usage: tessera [--data-dir DIR] COMMAND [ARGS] [OPTIONS]',
      '',
      'commands:',
      '  init               create the first administrator in a new data directory',
      '  user add           create an account'
    ])
    expect(overview.out.split('\n').slice(-9)).toEqual([
      '',
      'options for every command:',
      "  --data-dir DIR             the data directory (else $TESSERA_DATA_DIR, else the app's own)",
      "  --database-url URL         a shared PostgreSQL database (else $TESSERA_DATABASE_URL, else the seat's, else SQLite)",
      '  --database-password-file FILE the file holding its password (never on the command line)',
      '  --lang LANG                en, ja, ko or vi (else $LC_ALL, $LC_MESSAGES or $LANG, else English)',
      '  --help                     this help',
      '',
      'Run "tessera COMMAND --help" (or "tessera help COMMAND") for one command.'
    ])
    expect((await cli(['--lang', 'en', 'help'])).out).toBe(overview.out)
    expect((await cli(['user', 'add', '--help'])).out).toBe(
      [
        'usage: tessera user add NAME --email EMAIL [--name "Full Name"] [--role user|helpdesk|admin] [--phone NUMBER] --password-stdin',
        '',
        'Create an account.',
        '',
        'options:',
        "  --email EMAIL              the user's e-mail address",
        '  --name "Full Name"         their display name (default: the username)',
        '  --role ROLE                user (default), helpdesk or admin',
        '  --phone NUMBER             a phone number for call-backs',
        '  --password-stdin           read the password from the first line of standard input',
        "  --data-dir DIR             the data directory (else $TESSERA_DATA_DIR, else the app's own)"
      ].join('\n')
    )
    expect((await cli(['user', 'list'])).out.split('\n')[0]).toBe('USERNAME  NAME          E-MAIL             ROLE   STATUS')
    expect((await cli(['policy', 'set', 'issuer=Acme Corp'])).out).toBe('policy saved')
    expect(await cli(['audit', 'list', '--limit', '0'])).toEqual({ code: 2, out: '', err: 'error: --limit takes a number from 1 to 500\nrun "tessera help" for the commands' })
    expect(await cli(['audit', 'list', '--nonsense'])).toMatchObject({ code: 2, err: expect.stringMatching(/^error: Unknown option '--nonsense'\n/) })
  })

  it('says a wrong --lang in the environment\'s language', async () => {
    expect((await cli(['--lang', 'fr', 'help'])).err).toBe('error: --lang is one of en, ja, ko, vi, not "fr"\nrun "tessera help" for the commands')
    expect((await cli(['--lang', 'fr', 'help'], { LANG: 'ja_JP.UTF-8' })).err).toBe('error: --lang には en, ja, ko, vi のいずれかを指定してください（「fr」は指定できません）\nコマンドの一覧は「tessera help」で表示されます')
  })
})
