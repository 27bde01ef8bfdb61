import { nanoid } from 'nanoid'
import { createKafkaClient } from '../../lib/kafka/kafkajs/index.js'
import type { KafkaClient, TopicSpec } from '../../lib/kafka/client.js'

/** Brokers of the real Kafka the integration specs run against (npm test starts one and sets this). */
export function brokers(): string[] {
  const value = process.env.KAFKA_BROKERS
  if (!value) throw new Error('KAFKA_BROKERS is not set: run integration specs through `npm test` (it starts a local broker)')
  return value.split(',')
}

/** A name no other spec or earlier run uses, so specs never see each other's data. */
export function unique(prefix: string): string {
  return `${prefix}-${nanoid(8).replace(/[^a-zA-Z0-9]/g, 'x')}`
}

export function testClient(clientId = 'troupe-spec'): KafkaClient {
  return createKafkaClient({ brokers: brokers(), clientId, logLevel: 'nothing' })
}

/** Creates topics for one spec and returns a cleanup that deletes them and closes the client. */
export async function withTopics(client: KafkaClient, specs: TopicSpec[]): Promise<() => Promise<void>> {
  const admin = client.admin()
  await admin.createTopics(specs)
  return async () => {
    await admin.deleteTopics(specs.map((s) => s.topic)).catch(() => undefined)
    await client.close()
  }
}

/** Polls `check` until it returns true or `timeoutMs` passes (real time: integration specs only). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`)
}
