/**
 * The marks a consultation copy carries on every page: a white band along the bottom edge with
 * the stamp text, and the same text large, light and diagonal across the page. Both are raw PDF
 * operators in a content stream of their own, drawn after the page's content and wrapped in
 * q/Q, so they sit on top of the scan whatever state the page's own operators leave behind.
 *
 * The font is Helvetica, one of the 14 standard fonts (nothing embedded), with WinAnsiEncoding:
 * it has the em dash (0x97) and the bullet (0x95) of the masked codice fiscale, so the stamp
 * text needs no font file. Everything here works on a page dict of any PDFContext, so the
 * one-page copy and the streamed whole document share it.
 */
import {
  PDFArray,
  type PDFContext,
  PDFDict,
  PDFDocument,
  type PDFFont,
  PDFName,
  PDFNumber,
  type PDFObject,
  PDFPageLeaf,
  PDFRawStream,
  PDFRef,
  StandardFonts,
} from "pdf-lib";

/** Resource names the stamp adds to a page; unusual enough not to clash with the page's own. */
const FONT = "FaldoneStampF";
const WATERMARK_GS = "FaldoneStampW";
const BAND_GS = "FaldoneStampB";
const SOLID_GS = "FaldoneStampS";

/** Opacity of the diagonal text: readable as a watermark, the scan stays legible beneath. */
const WATERMARK_OPACITY = 0.16;
/** The band is mostly opaque so its text reads on any scan, and only as tall as the text. */
const BAND_OPACITY = 0.85;
const BAND_FONT_MAX = 9;
const BAND_FONT_MIN = 4;
const MARGIN = 6;

let measuring: Promise<PDFFont> | undefined;

/**
 * Helvetica as pdf-lib measures and encodes it (WinAnsi): loaded once per process in a scratch
 * document, since the metrics are the same for every page.
 */
function helvetica(): Promise<PDFFont> {
  measuring ??= PDFDocument.create().then((doc) => doc.embedFont(StandardFonts.Helvetica));
  return measuring;
}

/** The stamp text ready for content streams: its WinAnsi string and width at size 1. */
export interface StampGlyphs {
  hex: string;
  widthAt1: number;
}

/** Encodes the text in WinAnsi; throws if a character has no code there. */
export async function stampGlyphs(text: string): Promise<StampGlyphs> {
  const font = await helvetica();
  return { hex: font.encodeText(text).toString(), widthAt1: font.widthOfTextAtSize(text, 1) };
}

/** The objects every stamped page points to: the font and the three opacities. */
export interface StampResources {
  font: PDFRef;
  watermark: PDFRef;
  band: PDFRef;
  solid: PDFRef;
  /** A stream holding `q`, put before the page's own content. */
  open: PDFRef;
}

/** The shared stamp objects as (ref, object) pairs numbered from `next`; none registered. */
export function stampResourceObjects(
  context: PDFContext,
  next: () => PDFRef,
): { refs: StampResources; objects: [PDFRef, PDFObject][] } {
  const refs: StampResources = {
    font: next(),
    watermark: next(),
    band: next(),
    solid: next(),
    open: next(),
  };
  const gs = (opacity: number) => context.obj({ Type: "ExtGState", ca: opacity, CA: opacity });
  return {
    refs,
    objects: [
      [
        refs.font,
        context.obj({
          Type: "Font",
          Subtype: "Type1",
          BaseFont: "Helvetica",
          Encoding: "WinAnsiEncoding",
        }),
      ],
      [refs.watermark, gs(WATERMARK_OPACITY)],
      [refs.band, gs(BAND_OPACITY)],
      [refs.solid, gs(1)],
      [refs.open, rawStream(context, "q\n")],
    ],
  };
}

function rawStream(context: PDFContext, text: string): PDFRawStream {
  const bytes = new TextEncoder().encode(text);
  return PDFRawStream.of(context.obj({ Length: bytes.length }), bytes);
}

const n = (v: number) => (Math.round(v * 1000) / 1000).toString();

/** The visible area of a page and how a reader turns it. */
export interface PageGeometry {
  box: { x0: number; y0: number; x1: number; y1: number };
  /** Clockwise degrees, a multiple of 90. */
  rotate: number;
}

function numberAt(array: PDFObject | undefined, context: PDFContext): number[] | undefined {
  const resolved = array instanceof PDFRef ? context.lookup(array) : array;
  if (!(resolved instanceof PDFArray) || resolved.size() !== 4) return undefined;
  const values: number[] = [];
  for (let i = 0; i < 4; i++) {
    const v = resolved.lookup(i);
    if (!(v instanceof PDFNumber)) return undefined;
    values.push(v.asNumber());
  }
  return values;
}

/** The crop box (else the media box, else A4) and rotation of a page, inherited ones included. */
export function pageGeometry(leaf: PDFPageLeaf): PageGeometry {
  const context = leaf.context;
  const box = numberAt(leaf.getInheritableAttribute(PDFName.of("CropBox")), context) ??
    numberAt(leaf.getInheritableAttribute(PDFName.of("MediaBox")), context) ??
    [0, 0, 595, 842];
  const [a = 0, b = 0, c = 595, d = 842] = box;
  const rotateObject = leaf.getInheritableAttribute(PDFName.of("Rotate"));
  const rotateValue = rotateObject instanceof PDFRef ? context.lookup(rotateObject) : rotateObject;
  const raw = rotateValue instanceof PDFNumber ? rotateValue.asNumber() : 0;
  const rotate = ((Math.round(raw / 90) * 90) % 360 + 360) % 360;
  return {
    box: { x0: Math.min(a, c), y0: Math.min(b, d), x1: Math.max(a, c), y1: Math.max(b, d) },
    rotate,
  };
}

/**
 * The stamp's operators for one page. They draw in "upright" coordinates (the page as the
 * reader sees it, after /Rotate), mapped onto the page's user space by one `cm`, so the band
 * is at the bottom and the text reads left to right on a rotated scan too. Ends with `Q`
 * (closing the `q` put before the page's content) and wraps itself in its own q/Q.
 */
export function stampOperators(geometry: PageGeometry, glyphs: StampGlyphs): string {
  const { x0, y0, x1, y1 } = geometry.box;
  const w = x1 - x0;
  const h = y1 - y0;
  const turned = geometry.rotate === 90 || geometry.rotate === 270;
  const width = turned ? h : w;
  const height = turned ? w : h;
  const matrix = {
    0: [1, 0, 0, 1, x0, y0],
    90: [0, 1, -1, 0, x1, y0],
    180: [-1, 0, 0, -1, x1, y1],
    270: [0, -1, 1, 0, x0, y1],
  }[geometry.rotate as 0 | 90 | 180 | 270] ?? [1, 0, 0, 1, x0, y0];

  // Band: the text on one line across the page, at most 9 pt.
  const bandSize = Math.max(
    BAND_FONT_MIN,
    Math.min(BAND_FONT_MAX, (width - 2 * MARGIN) / glyphs.widthAt1),
  );
  const bandHeight = bandSize + 6;
  const bandX = Math.max(MARGIN, (width - glyphs.widthAt1 * bandSize) / 2);

  // Watermark: along the diagonal, about 80 % of its length.
  const diagonal = Math.hypot(width, height);
  const size = Math.max(6, Math.min(60, (diagonal * 0.8) / glyphs.widthAt1));
  const angle = Math.atan2(height, width);
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const half = (glyphs.widthAt1 * size) / 2;
  const lift = size * 0.35; // half the cap height: centre the line on the diagonal
  const tx = width / 2 - half * cos + lift * sin;
  const ty = height / 2 - half * sin - lift * cos;

  return [
    "Q",
    "q",
    `${matrix.map(n).join(" ")} cm`,
    `/${WATERMARK_GS} gs`,
    "0.55 0.1 0.1 rg",
    "BT",
    `/${FONT} ${n(size)} Tf`,
    `${n(cos)} ${n(sin)} ${n(-sin)} ${n(cos)} ${n(tx)} ${n(ty)} Tm`,
    `${glyphs.hex} Tj`,
    "ET",
    `/${BAND_GS} gs`,
    "1 1 1 rg",
    `0 0 ${n(width)} ${n(bandHeight)} re f`,
    `/${SOLID_GS} gs`,
    "0.1 0.1 0.1 rg",
    "BT",
    `/${FONT} ${n(bandSize)} Tf`,
    `${n(bandX)} ${n(3 + bandSize * 0.22)} Td`,
    `${glyphs.hex} Tj`,
    "ET",
    "Q",
    "",
  ].join("\n");
}

/** A copy of `dict` (or a new dict) with `entries` added; the original is not touched. */
function withEntries(
  context: PDFContext,
  dict: PDFObject | undefined,
  entries: Record<string, PDFRef>,
): PDFDict {
  const resolved = dict instanceof PDFRef ? context.lookup(dict) : dict;
  const copy = resolved instanceof PDFDict ? resolved.clone(context) : context.obj({});
  for (const [name, ref] of Object.entries(entries)) copy.set(PDFName.of(name), ref);
  return copy;
}

/**
 * A copy of the page dict `leaf` whose content is `q`, the page's own streams, then `stamp`,
 * and whose resources (a copy: they may be shared with other pages, inherited or indirect)
 * name the stamp's font and opacities. The page dict and everything it points to stay as
 * they were, so a parsed document can be shared by many requests.
 */
export function stampedPageDict(
  leaf: PDFPageLeaf,
  resources: StampResources,
  stamp: PDFRef,
): PDFPageLeaf {
  const context = leaf.context;
  const page = leaf.clone(context);
  const own = leaf.get(PDFName.of("Contents"));
  const ownResolved = own instanceof PDFRef ? context.lookup(own) : own;
  const contents: PDFObject[] = [resources.open];
  if (ownResolved instanceof PDFArray) contents.push(...ownResolved.asArray());
  else if (own !== undefined) contents.push(own);
  contents.push(stamp);
  page.set(PDFName.of("Contents"), context.obj(contents));

  const pageResources = leaf.getInheritableAttribute(PDFName.of("Resources"));
  const resolved = pageResources instanceof PDFRef ? context.lookup(pageResources) : pageResources;
  const base = resolved instanceof PDFDict ? resolved.clone(context) : context.obj({});
  base.set(
    PDFName.of("Font"),
    withEntries(context, base.get(PDFName.of("Font")), { [FONT]: resources.font }),
  );
  base.set(
    PDFName.of("ExtGState"),
    withEntries(context, base.get(PDFName.of("ExtGState")), {
      [WATERMARK_GS]: resources.watermark,
      [BAND_GS]: resources.band,
      [SOLID_GS]: resources.solid,
    }),
  );
  page.set(PDFName.of("Resources"), base);
  return page;
}

/** The stamp content stream of one page. */
export function stampStream(
  context: PDFContext,
  leaf: PDFPageLeaf,
  glyphs: StampGlyphs,
): PDFRawStream {
  return rawStream(context, stampOperators(pageGeometry(leaf), glyphs));
}
