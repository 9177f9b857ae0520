/**
 * Vitest's global setup: one PostgreSQL server for the whole run (or the one named by
 * TESSERA_TEST_DATABASE_URL), handed to the test files as `inject('postgresUrl')`.
 */
import type { TestProject } from 'vitest/node'
import { startPostgres, stopAndRemove } from './postgres'

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string
  }
}

export default async function setup(project: TestProject) {
  const given = process.env.TESSERA_TEST_DATABASE_URL
  if (given) {
    project.provide('postgresUrl', given)
    return
  }
  const server = await startPostgres()
  project.provide('postgresUrl', server.url)
  return () => stopAndRemove(server)
}
