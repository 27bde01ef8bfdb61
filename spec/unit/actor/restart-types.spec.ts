import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createSupervisor } from '../../../lib/actor/index.js'
import type { RestartType } from '../../../lib/actor/index.js'
import { Events } from '../../../lib/instrumentation/events.js'
import { harness, workerSpec } from './support.js'

const test = suite('actor/restart types')

// [restart type, how the child ends, restarted?]
const table: Array<[RestartType, 'finish' | 'crash', boolean]> = [
  ['permanent', 'finish', true],
  ['permanent', 'crash', true],
  ['transient', 'finish', false],
  ['transient', 'crash', true],
  ['temporary', 'finish', false],
  ['temporary', 'crash', false],
]

for (const [restart, ending, restarted] of table) {
  test(`${restart} child after ${ending === 'finish' ? 'a normal exit' : 'a crash'}: ${restarted ? 'restarted' : 'not restarted'}`, async () => {
    const { clock, instrumentation, named } = harness()
    const log: string[] = []
    const sup = createSupervisor({ clock, instrumentation, children: [workerSpec('w', log, { restart })] })
    await sup.start()
    const before = sup.getChild('w')
    before!.send({ type: ending })
    await clock.advance(0)

    const exited = named(Events.CHILD_EXITED)
    assert.equal(exited.map((p) => p.reason), [ending === 'finish' ? 'normal' : 'error'])
    if (ending === 'crash') assert.match(String(exited[0]?.error), 'boom')
    if (restarted) {
      assert.equal(log, ['start:w', 'start:w'])
      assert.not.equal(sup.getChild('w'), before)
      assert.equal(sup.whichChildren().map((c) => [c.status, c.restarts]), [['running', 1]])
      assert.equal(named(Events.CHILD_RESTARTED).map((p) => [p.childId, p.restarts]), [['w', 1]])
    } else {
      assert.equal(log, ['start:w'])
      assert.is(sup.getChild('w'), undefined)
      assert.equal(named(Events.CHILD_RESTARTED), [])
      // A temporary child is forgotten; a transient one stays listed as stopped.
      assert.equal(sup.whichChildren().map((c) => c.status), restart === 'temporary' ? [] : ['stopped'])
    }
    await sup.stop()
  })
}

test('a permanent child stopped from outside is restarted; a transient one is not', async () => {
  const { clock } = harness()
  const log: string[] = []
  const sup = createSupervisor({ clock, children: [workerSpec('p', log), workerSpec('t', log, { restart: 'transient' })] })
  await sup.start()
  sup.getChild('p')!.stop()
  sup.getChild('t')!.stop()
  await clock.advance(0)
  assert.equal(sup.whichChildren().map((c) => [c.id, c.status, c.restarts]), [
    ['p', 'running', 1],
    ['t', 'stopped', 0],
  ])
  await sup.stop()
})

test.run()
