/**
 * Slack's Block Kit limits, in one frozen object the renderer and its tests read. Nobody writes 3000
 * in a handler. Sources (checked 2026):
 * - blocks per message 50, per modal/home tab 100: https://docs.slack.dev/reference/block-kit/blocks
 * - section text 3000, fields 10 × 2000: https://docs.slack.dev/reference/block-kit/blocks/section-block
 * - header text 150, block_id 255: https://docs.slack.dev/reference/block-kit/blocks/header-block
 * - button text 75, value 2000, action_id 255: https://docs.slack.dev/reference/block-kit/block-elements/button-element
 * - context elements 10: https://docs.slack.dev/tools/node-slack-sdk/reference/types/interfaces/ContextBlock
 * - actions block elements 25: https://docs.slack.dev/reference/block-kit/blocks/actions-block
 * - modal title/submit/close 24, private_metadata 3000, callback_id 255: https://docs.slack.dev/reference/views/modal-views
 * - placeholder 150: https://docs.slack.dev/reference/block-kit/block-elements/date-picker-element
 * - ~12,000 characters of block text per message: not in Slack's reference; chat.postMessage answers
 *   `msg_blocks_too_long` a little above 13,000 (https://github.com/slackapi/bolt-js/issues/2509), so we
 *   keep under 12,000.
 * Select menus (100 options, option text 75, option value 150), input labels and hints (2000) and
 * plain-text inputs (max_length 3000) are from the same reference pages (select menu element, input
 * block, plain-text input element).
 */
export const SLACK_LIMITS = Object.freeze({
  blocksPerMessage: 50,
  blocksPerModal: 100,
  sectionText: 3000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  blockId: 255,
  contextElements: 10,
  actionsElements: 25,
  fieldsPerSection: 10,
  fieldText: 2000,
  modalTitle: 24,
  modalButtonText: 24,
  privateMetadata: 3000,
  callbackId: 255,
  placeholder: 150,
  inputLabel: 2000,
  inputHint: 2000,
  /** plain_text_input: max_length and any initial_value at most this. */
  inputText: 3000,
  selectOptions: 100,
  optionText: 75,
  optionValue: 150,
  messageBlockText: 12_000,
});
