/**
 * Discord's message, embed, component and modal limits, in one frozen object the renderer and its
 * tests read. Sources (checked 2026):
 * - embeds (title 256, description 4096, 25 fields, field name 256 / value 1024, footer 2048, author
 *   256, 6000 over all embeds of a message): https://discord.com/developers/docs/resources/message#embed-object-embed-limits,
 *   mirrored in https://sapphirejs.dev/docs/Documentation/api-utilities/@sapphire/discord-utilities/variables/EmbedLimits
 * - content 2000, 10 embeds, 5 action rows: https://sapphirejs.dev/docs/Documentation/api-utilities/@sapphire/discord-utilities/variables/MessageLimits
 * - 5 buttons a row, one select a row, 25 select options, button label 80, custom_id 100:
 *   https://sapphirejs.dev/docs/Documentation/api-utilities/@sapphire/discord-utilities/variables/ButtonLimits
 *   and .../InteractionLimits (https://discord.com/developers/docs/components/reference)
 * - modal title 45, 5 components; text input label 45, placeholder 100, value 4000:
 *   https://sapphirejs.dev/docs/Documentation/api-utilities/@sapphire/discord-utilities/variables/ModalLimits
 *   and .../TextInputLimits; https://discord.js.org/docs/packages/discord-api-types/0.38.36/v10/APITextInputComponent:Interface
 * Select option label/value 100 and placeholder 150 are from the same component reference.
 */
export const DISCORD_LIMITS = Object.freeze({
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  embedsTotalChars: 6000,
  embedsPerMessage: 10,
  actionRows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  customId: 100,
  selectOptions: 25,
  selectOptionLabel: 100,
  selectOptionValue: 100,
  selectPlaceholder: 150,
  modalTitle: 45,
  modalInputs: 5,
  textInputLabel: 45,
  textInputPlaceholder: 100,
  textInputValue: 4000,
});
