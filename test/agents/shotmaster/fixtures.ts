import { type Beat, parseVrd, Script, type StoryPart, type Vrd } from "../../../src/domain/index.js";

/** The Ember & Oak reel from the examples, stretched to 60 s: a described character and hero product. */
export const PRIYA =
  "late 20s, shoulder-length black hair in a low bun, mustard knit cardigan over a white tee";
export const BAG =
  "matte charcoal kraft coffee bag with a copper-foil ember-and-oak-leaf logo and a handwritten roast-date label";
export const KITCHEN = "small apartment kitchen, white subway tiles, oak open shelving, window over the sink";

export const coffeeVrd: Vrd = parseVrd({
  title: "Ember & Oak — never run out",
  objective: "Sign-ups for a coffee subscription",
  audience: "Urban professionals 25–40 who brew at home",
  duration_seconds: 60,
  platform: "instagram_reels",
  tone: ["warm", "cozy", "a little wry"],
  key_messages: ["Roasted to order, shipped within 48 hours", "Pause or skip anytime", "First bag free"],
  call_to_action: "Start your free bag at emberoak.example",
  brand: { name: "Ember & Oak", colors: ["charcoal", "copper", "warm oak"] },
  characters: [{ name: "Priya", description: PRIYA }],
  locations: [{ name: "Priya's kitchen", description: KITCHEN }],
  products: [{ name: "Ember & Oak coffee bag", description: BAG }],
});

type BeatSpec = {
  parts: StoryPart[];
  seconds: number;
  action: string;
  setting: string;
  mood: string;
  emotion: string;
  purpose: string;
  characters?: string[];
  vo?: string;
  dialogue?: Array<{ character: string; line: string }>;
  music?: string;
  sfx?: string[];
  text?: string;
  textStyle?: "super" | "caption" | "end_card";
  keyMessages?: string[];
  cta?: boolean;
};

export function buildScript(specs: BeatSpec[], id = "script-coffee", targetSeconds?: number): Script {
  let t = 0;
  const beats: Beat[] = specs.map((s, i) => {
    const start = t;
    t = Math.round((t + s.seconds) * 10) / 10;
    return {
      id: `B${String(i + 1).padStart(2, "0")}`,
      parts: s.parts,
      start_s: start,
      end_s: t,
      audio: {
        voice_over: s.vo ?? null,
        dialogue: s.dialogue ?? [],
        music: s.music ?? null,
        sfx: s.sfx ?? [],
      },
      look: { action: s.action, setting: s.setting, characters: s.characters ?? [], mood: s.mood },
      text: { on_screen: s.text ?? null, style: s.text ? (s.textStyle ?? "super") : null },
      emotion: s.emotion,
      purpose: s.purpose,
      key_messages: s.keyMessages ?? [],
      carries_cta: s.cta ?? false,
    };
  });
  return Script.parse({
    script_id: id,
    version: 1,
    title: "Ember & Oak — never run out",
    logline: "A sleepy coffee lover never runs out again thanks to a roast-to-order subscription.",
    beats,
    metadata: {
      generator: "template",
      platform: "instagram_reels",
      aspect_ratio: "9:16",
      language: "en",
      target_duration_s: targetSeconds ?? t,
      duration_s: t,
      word_count: 60,
      words_per_second: 1,
      created_at: "2026-11-01T00:00:00.000Z",
      usage: {},
    },
    narrative_md: "# Ember & Oak",
  });
}

const eight: BeatSpec[] = [
  {
    parts: ["you"],
    seconds: 7,
    action: "Priya shakes an empty coffee tin, sleepy frown",
    setting: "Priya's kitchen at 6:58 AM, blue morning light",
    mood: "sleepy, cool blue",
    emotion: "frustrated",
    purpose: "introduce Priya and her everyday problem",
    characters: ["Priya"],
    vo: "Out of coffee. Again.",
    sfx: ["a tin rattles, empty"],
    text: "6:58 AM",
  },
  {
    parts: ["need"],
    seconds: 7,
    action: 'Priya scrolls a grocery app that says "Delivery Thursday"',
    setting: "Priya's kitchen, blue morning light",
    mood: "deflated",
    emotion: "disappointed",
    purpose: "show the need: good coffee takes days",
    characters: ["Priya"],
    vo: "And the good stuff takes days.",
  },
  {
    parts: ["go"],
    seconds: 7.5,
    action: "A box sits on the doormat with an Ember & Oak stamp; Priya opens the door",
    setting: "apartment front door and hallway, morning",
    mood: "curious",
    emotion: "surprised",
    purpose: "the answer arrives",
    characters: ["Priya"],
    vo: "Unless it's already on its way.",
    sfx: ["doorbell"],
  },
  {
    parts: ["search"],
    seconds: 8,
    action: "Beans tumble from a drum roaster; a hand writes the roast date on the label of the bag",
    setting: "roastery workshop with a copper drum roaster glowing",
    mood: "crafted, warm",
    emotion: "intrigued",
    purpose: "prove freshness",
    vo: "We roast when you order, and ship within 48 hours.",
    text: "Roasted to order · shipped in 48 h",
    keyMessages: ["Roasted to order, shipped within 48 hours"],
  },
  {
    parts: ["find"],
    seconds: 8,
    action: "Priya pours the coffee, steam rises, first sip, eyes close",
    setting: "Priya's kitchen, light warming up",
    mood: "savouring",
    emotion: "delight",
    purpose: "the payoff: fresh coffee tastes better",
    characters: ["Priya"],
    vo: "That's what fresh tastes like.",
    music: "warm acoustic swell",
  },
  {
    parts: ["take"],
    seconds: 7.5,
    action: 'Priya\'s thumb taps "Skip" in the subscription app',
    setting: "Priya's kitchen",
    mood: "easy, in control",
    emotion: "relieved",
    purpose: "show flexibility",
    characters: ["Priya"],
    vo: "Away next week? Pause or skip anytime.",
    text: "Pause or skip anytime",
    keyMessages: ["Pause or skip anytime"],
  },
  {
    parts: ["return"],
    seconds: 7.5,
    action: "Priya at the window with her mug, content",
    setting: "Priya's kitchen, light now warm",
    mood: "content, warm",
    emotion: "content",
    purpose: "mirror the opening, problem solved",
    characters: ["Priya"],
    vo: "Never run out again.",
  },
  {
    parts: ["change"],
    seconds: 7.5,
    action: "The bag on an oak table, slow orbit, end card",
    setting: "Priya's kitchen, oak table by the window",
    mood: "warm, inviting",
    emotion: "confident",
    purpose: "call to action",
    vo: "Your first bag is on us.",
    text: "First bag free — emberoak.example",
    textStyle: "end_card",
    keyMessages: ["First bag free"],
    cta: true,
  },
];

/** 8 beats, 60 s. */
export const coffeeScript: Script = buildScript(eight);

/** 12 beats, 60 s: the eight above re-timed to 5 s each plus four more. */
export const twelveBeatScript: Script = buildScript(
  [
    ...eight.slice(0, 7).map((b) => ({ ...b, seconds: 5 })),
    {
      parts: ["return"],
      seconds: 5,
      action: "Priya walks back to the table, heads home from the window",
      setting: "Priya's kitchen",
      mood: "light",
      emotion: "happy",
      purpose: "settle into the new routine",
      characters: ["Priya"],
    },
    {
      parts: ["return"],
      seconds: 5,
      action: "Priya tells her friend Sam about the subscription",
      setting: "a sunny street café terrace",
      mood: "bright",
      emotion: "joy",
      purpose: "word of mouth",
      characters: ["Priya", "Sam"],
      dialogue: [
        { character: "Priya", line: "It just shows up." },
        { character: "Sam", line: "Fresh every time?" },
      ],
    },
    {
      parts: ["change"],
      seconds: 5,
      action: "Sam scans the code on Priya's phone",
      setting: "a sunny street café terrace",
      mood: "bright",
      emotion: "curious",
      purpose: "the friend signs up",
      characters: ["Priya", "Sam"],
    },
    {
      parts: ["change"],
      seconds: 5,
      action: "The bag on the café table in the sun",
      setting: "a sunny street café terrace",
      mood: "warm",
      emotion: "confident",
      purpose: "product hero",
    },
    { ...eight[7]!, seconds: 5 },
  ],
  "script-coffee-12",
);
