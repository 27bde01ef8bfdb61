import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createActor } from 'xstate'
import { InvalidEnvelopeError } from '../../../lib/errors.js'
import type { Admin, KafkaClient } from '../../../lib/kafka/client.js'
import { createScheduledMessages, fromScheduledMessages } from '../../../lib/scheduled/index.js'
import { createManualClock } from '../../../lib/time/manual-clock.js'
import { createFakeConsumer, settle } from '../../support/fake-kafka.js'
import { recordingProducer } from './support.js'

const test = suite('scheduled/facade')

function fakeClient() {
  const consumer = createFakeConsumer()
  const producer = recordingProducer()
  const admin = { fetchTopicOffsets: async () => [0, 1, 2].map((partition) => ({ partition, low: 0, high: 0 })) } as unknown as Admin
  const client: KafkaClient = { brokers: ['fake:9092'], producer: () => producer, admin: () => admin, groupConsumer: () => consumer, close: async () => undefined }
  return { client, consumer, producer }
}
const options = (client: KafkaClient) => ({ client, proxyTopic: 'proxy', statesTopic: 'states', groupId: 'g', clock: createManualClock() })

test('schedule and cancel write to the proxy topic; invalid requests write nothing', async () => {
  const { client, producer } = fakeClient()
  const s = createScheduledMessages(options(client))
  const receipt = await s.schedule({ id: 'm1', targetTopic: 'out', after: '1m', value: 'v' })
  await s.cancel('m1')
  await s.schedule({ targetTopic: '', after: '1m', value: 'v' }).then(() => assert.unreachable(), (e) => assert.instance(e, InvalidEnvelopeError))
  assert.is(receipt.id, 'm1')
  assert.equal(producer.sent.map((x) => [x.topic, x.message.key, x.message.value === null]), [['proxy', 'm1', false], ['proxy', 'm1', true]])
})

test('one dispatcher per assigned partition; revoked partitions stop and publish a final state', async () => {
  const { client, consumer, producer } = fakeClient()
  const s = createScheduledMessages(options(client))
  await s.start()
  consumer.assign(1, [{ topic: 'proxy', partition: 0 }, { topic: 'proxy', partition: 2 }])
  await settle()
  assert.equal(s.statuses().map((x) => [x.partition, x.state]), [[0, 'loaded'], [2, 'loaded']])
  assert.equal(consumer.seeks.map((x) => x.partition).sort(), [0, 2])
  consumer.revoke()
  await settle()
  assert.equal(s.statuses(), [])
  const states = producer.sent.filter((x) => x.topic === 'states').map((x) => JSON.parse(String(x.message.value)) as { partition: number; state: string })
  assert.ok(states.some((x) => x.partition === 2 && x.state === 'stopped'))
  assert.ok(states.every((x) => producer.sent.find((y) => y.topic === 'states' && JSON.parse(String(y.message.value)).partition === x.partition)?.message.partition === x.partition))
  await s.stop()
  assert.ok(consumer.stopped)
})

test('as actor logic: starts when spawned, leaves the group on troupe.shutdown, fails on a consumer crash', async () => {
  const { client, consumer } = fakeClient()
  const actor = createActor(fromScheduledMessages(options(client))).start()
  await settle()
  assert.ok(consumer.listener, 'joined the group')
  actor.send({ type: 'troupe.shutdown' })
  await settle()
  assert.is(actor.getSnapshot().status, 'done')
  assert.ok(consumer.stopped)

  const second = fakeClient()
  const crashing = createActor(fromScheduledMessages(options(second.client))).start()
  crashing.subscribe({ error: () => undefined })
  await settle()
  second.consumer.listener?.onCrash(new Error('coordinator gone'))
  await settle()
  assert.is(crashing.getSnapshot().status, 'error')
})

test.run()
