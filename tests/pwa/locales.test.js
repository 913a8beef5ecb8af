// The three locale files say the same things: the same keys, none empty, and every key the
// code asks for with a literal t('...') is there. (Keys built at run time, t(`lang.${l}`),
// are the code's own business: each such family is tested where it is used.)
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import da from "../../pwa/src/locales/da.json";
import sv from "../../pwa/src/locales/sv.json";
import en from "../../pwa/src/locales/en.json";

const LOCALES = { da, sv, en };
const SOURCE = fileURLToPath(new URL("../../pwa/src", import.meta.url));

function flatten(node, prefix = "") {
  return Object.entries(node).flatMap(([key, value]) =>
    value !== null && typeof value === "object"
      ? flatten(value, `${prefix}${key}.`)
      : [[`${prefix}${key}`, value]],
  );
}

function lookup(dict, key) {
  return key
    .split(".")
    .reduce((node, part) => (node == null ? undefined : node[part]), dict);
}

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith(".js") ? [path] : [];
  });
}

function literalKeys() {
  const keys = new Set();
  for (const file of sourceFiles(SOURCE)) {
    // Comments may show how t() is called; only code counts.
    const text = readFileSync(file, "utf8")
      .split("\n")
      .filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line))
      .join("\n");
    for (const match of text.matchAll(/\bt\(\s*'([a-z0-9_.]+)'/g))
      keys.add(match[1]);
  }
  return [...keys].sort();
}

describe("locale files", () => {
  const keysOf = (lang) =>
    flatten(LOCALES[lang])
      .map(([key]) => key)
      .sort();

  test.each(["sv", "en"])("%s has the same keys as da", (lang) => {
    expect(keysOf(lang)).toEqual(keysOf("da"));
  });

  test.each(["da", "sv", "en"])("%s has no empty value", (lang) => {
    const empty = flatten(LOCALES[lang]).filter(
      ([, value]) => typeof value !== "string" || !value.trim(),
    );
    expect(empty).toEqual([]);
  });

  test("the code uses literal keys at all (the pattern still finds them)", () => {
    expect(literalKeys().length).toBeGreaterThan(100);
  });

  test.each(["da", "sv", "en"])(
    "every literal key the code uses is in %s",
    (lang) => {
      const missing = literalKeys().filter(
        (key) => lookup(LOCALES[lang], key) === undefined,
      );
      expect(missing).toEqual([]);
    },
  );

  test("the Danish file speaks Danish where Swedish used to stand (the quality section)", () => {
    const swedishOnly = /\b(och|inte|finns|enheten|ännu|sparad|uppföljning)\b/i;
    const swedish = flatten(da.quality).filter(([, value]) =>
      swedishOnly.test(value),
    );
    expect(swedish).toEqual([]);
  });

  // "Enhed"/"enhet" is the organisational unit (Mine enheder, Mina enheter); the place the app
  // keeps what was typed is the browser. One word for each thing, in each language.
  test.each([
    [
      "da",
      /\b(på|fra) (denne |)enhed(en)?\b/i,
      /\b(denne|den) enhed\b.*\b(synkronis|gemt|notifikation)/i,
    ],
    [
      "sv",
      /\b(på|från) (den här |)enheten\b/i,
      /\bden här enheten\b.*\b(synkronis|sparad|notis)/i,
    ],
  ])("%s never calls the device a unit", (lang, where, what) => {
    const mixed = flatten(LOCALES[lang]).filter(
      ([, value]) => where.test(value) || what.test(value),
    );
    expect(mixed).toEqual([]);
  });

  test("Swedish says tillsyn, never inspektion, except in the name of IVO", () => {
    const inspektion = flatten(sv).filter(
      ([, value]) =>
        /inspektion/i.test(value) &&
        !/Inspektionen för vård och omsorg/.test(value),
    );
    expect(inspektion).toEqual([]);
  });
});
