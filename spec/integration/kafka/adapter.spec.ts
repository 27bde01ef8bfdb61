// The kafkajs adapter produces, administers topics, consumes in a group and commits against a real broker.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ConfigError, ProduceError, TopicAdminError } from '../../../lib/errors.js'
import { createKafkaClient } from '../../../lib/kafka/kafkajs/index.js'
import type { Assignment, FetchedBatch, IncomingMessage } from '../../../lib/kafka/client.js'
import { eventually, testClient, unique, withTopics } from '../../support/kafka.js'

const test = suite('kafka adapter (real broker)')

test('admin creates, lists, describes and deletes topics; creating twice is harmless', async () => {
  const client = testClient()
  const topic = unique('adapter-admin')
  const admin = client.admin()
  await admin.createTopics([{ topic, partitions: 3, config: { 'cleanup.policy': 'compact,delete' } }])
  await admin.createTopics([{ topic, partitions: 3 }])
  assert.ok((await admin.listTopics()).includes(topic))
  assert.is(await admin.partitionCount(topic), 3)
  const offsets = await admin.fetchTopicOffsets(topic)
  assert.equal(offsets.map((o) => [o.partition, o.low, o.high]), [[0, 0, 0], [1, 0, 0], [2, 0, 0]])
  await admin.deleteTopics([topic])
  await eventually(async () => !(await admin.listTopics()).includes(topic), 10_000, 'topic deleted')
  await client.close()
})

test('produce returns the partition and offset of every message; same key, same partition', async () => {
  const client = testClient()
  const topic = unique('adapter-produce')
  const cleanup = await withTopics(client, [{ topic, partitions: 4 }])
  const producer = client.producer()
  const messages = Array.from({ length: 40 }, (_, i) => ({ key: `k${i % 5}`, value: `v${i}`, headers: { n: String(i) } }))
  const records = await producer.produce(topic, messages)
  assert.is(records.length, 40)
  const partitionOfKey = new Map<string, number>()
  records.forEach((r, i) => {
    const key = `k${i % 5}`
    const seen = partitionOfKey.get(key)
    if (seen !== undefined) assert.is(r.partition, seen, `key ${key} stays on one partition`)
    partitionOfKey.set(key, r.partition)
  })
  // Offsets within a partition are dense and start at 0 on a new topic.
  const perPartition = new Map<number, number[]>()
  for (const r of records) perPartition.set(r.partition, [...(perPartition.get(r.partition) ?? []), r.offset])
  for (const offsets of perPartition.values()) assert.equal(offsets, offsets.map((_, i) => i))
  const explicit = await producer.produce(topic, [{ value: 'x', partition: 3 }])
  assert.is(explicit[0]?.partition, 3)
  const high = await client.admin().fetchTopicOffsets(topic)
  assert.is(high.reduce((n, p) => n + p.high, 0), 41)
  await producer.disconnect()
  await cleanup()
})

test('a group member receives assignment and batches, commits, and the commit is readable', async () => {
  const client = testClient()
  const topic = unique('adapter-group')
  const groupId = unique('adapter-group')
  const cleanup = await withTopics(client, [{ topic, partitions: 2 }])
  const producer = client.producer()
  await producer.produce(topic, Array.from({ length: 10 }, (_, i) => ({ value: `m${i}`, partition: i % 2 })))
  const consumer = client.groupConsumer({
    groupId, topics: [topic], beginOffset: 'earliest', sessionTimeout: 10_000, rebalanceTimeout: 10_000,
    heartbeatInterval: 1000, minBytes: 1, maxBytes: 1 << 20, maxBytesPerPartition: 1 << 20, maxWaitTime: 100,
  })
  const received: IncomingMessage[] = []
  const assignments: Assignment[] = []
  await consumer.start({
    onBatch: (b: FetchedBatch) => received.push(...b.messages),
    onAssigned: (a) => assignments.push(a),
    onRevoking: () => undefined,
    onCrash: (e) => assert.unreachable(e.message),
  })
  await eventually(() => received.length === 10, 20_000, '10 messages')
  assert.ok((assignments[0]?.generationId ?? 0) >= 1)
  assert.equal(assignments[0]?.partitions.map((p) => p.partition).sort(), [0, 1])
  assert.equal(received.filter((m) => m.partition === 0).map((m) => m.value?.toString()), ['m0', 'm2', 'm4', 'm6', 'm8'])
  await consumer.commit([{ topic, partition: 0, offset: 5 }, { topic, partition: 1, offset: 3 }])
  const committed = await client.admin().fetchCommittedOffsets(groupId, topic)
  assert.equal(committed.map((c) => c.offset), [5, 3])
  await consumer.stop()
  // A new member (as after a group restart) never reuses a generation id: old acks stay fenced.
  const again = client.groupConsumer({
    groupId, topics: [topic], beginOffset: 'earliest', sessionTimeout: 10_000, rebalanceTimeout: 10_000,
    heartbeatInterval: 1000, minBytes: 1, maxBytes: 1 << 20, maxBytesPerPartition: 1 << 20, maxWaitTime: 100,
  })
  const later: Assignment[] = []
  await again.start({ onBatch: () => undefined, onAssigned: (a) => later.push(a), onRevoking: () => undefined, onCrash: () => undefined })
  await eventually(() => later.length > 0, 20_000, 'second member assigned')
  assert.ok(later[0]!.generationId > assignments[assignments.length - 1]!.generationId)
  await again.stop()
  await producer.disconnect()
  await cleanup()
})

test('bad input is a typed error: brokers, unknown topic, invalid partition', async () => {
  assert.throws(() => createKafkaClient({ brokers: [] }), (e: unknown) => e instanceof ConfigError)
  assert.throws(() => createKafkaClient({ brokers: 'localhost' }), (e: unknown) => e instanceof ConfigError)
  const client = testClient()
  const producer = client.producer()
  try {
    await producer.produce('', [{ value: 'x' }])
    assert.unreachable('empty topic accepted')
  } catch (e) {
    assert.instance(e, ProduceError)
  }
  try {
    await producer.produce(unique('missing'), [{ value: 'x', partition: -1 }])
    assert.unreachable('negative partition accepted')
  } catch (e) {
    assert.instance(e, ProduceError)
  }
  try {
    await client.admin().createTopics([{ topic: 'bad name with spaces' }])
    assert.unreachable('invalid topic name accepted')
  } catch (e) {
    assert.instance(e, TopicAdminError)
    assert.is((e as TopicAdminError).code, 'TROUPE_TOPIC_ADMIN')
  }
  await producer.disconnect()
  await client.close()
})

test.run()
