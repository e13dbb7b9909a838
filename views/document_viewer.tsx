/**
 * The document viewer screen: PDF pages and images with page and zoom controls (driven by
 * static/viewer.js), native players for audio and video, the signature panel of a signed
 * file, or a plain notice when the bytes are not at this branch yet.
 */
import { useI18n } from "../i18n/context.tsx";
import type { Messages } from "../i18n/it.ts";
import type { Locale } from "../i18n/locale.ts";
import { translate } from "../i18n/local_message.ts";
import type { FC } from "hono/jsx";
import { CSRF_FIELD } from "../middleware/session.ts";
import { assetUrl } from "./assets.ts";
import { Layout } from "./layout.tsx";
import { SignaturePanel, type SignatureReport } from "./signature_panel.tsx";

/** How a document is shown, from its type. */
export type ViewerKind = "pdf" | "image" | "audio" | "video" | "other";

/** The viewer for a mime type; images with converted pages (TIFF) are images too. */
export function viewerKind(mime: string): ViewerKind {
  const type = mime.split(";")[0]?.trim().toLowerCase() ?? "";
  if (type === "application/pdf") return "pdf";
  if (type === "image/jpeg" || type === "image/png") return "image";
  if (type.startsWith("audio/")) return "audio";
  if (type.startsWith("video/")) return "video";
  return "other";
}

/** Where the page's links and scripts point. */
export interface ViewerUrls {
  /** The bytes, with Range. */
  file: string;
  /** Pages of an image document with converted pages: `{n}` stands for the 1-based number. */
  pageImage?: string | undefined;
  /** Back to the record the document belongs to. */
  back?: { href: string; label: string } | undefined;
  /** POST here to ask for the bytes ("Scarica in sede"). */
  fetchAction?: string | undefined;
  /** The signed envelope as received (staff only). */
  original?: { href: string; fileName: string } | undefined;
}

/** Everything the viewer page shows. */
export interface DocumentViewerProps {
  title: string;
  mime: string;
  bytes: number;
  /** Whether the bytes are on this machine. */
  present: boolean;
  /** Page count of an image document with converted pages (TIFF); undefined for a plain file. */
  imagePages?: number | undefined;
  /** Why the file, although here, cannot be shown (a damaged TIFF). */
  unreadable?: string | undefined;
  signatures?: SignatureReport | undefined;
  /** Staff see signers' tax codes and the "Scarica in sede" button. */
  staff: boolean;
  /** Whether to offer the clerk's "Scarica in sede" button beside the missing-bytes notice. */
  showFetchButton: boolean;
  /** The clerk already asked for the bytes. */
  fetchRequested: boolean;
  csrfToken?: string | undefined;
  urls: ViewerUrls;
  /**
   * Consultation under a grant: the pages are stamped one-page PDFs fetched one at a time
   * (`pageUrl`, `{n}` the 1-based number), never the file; no download but the stamped copy.
   */
  stamped?: { pages: number; pageUrl: string; copyUrl?: string | undefined } | undefined;
  /**
   * Page 1 of a scanned PDF as the JPEG it holds (documents/pdf_preview.ts), shown at once and
   * replaced by PDF.js's canvas when that has drawn the page; never for stamped pages.
   */
  preview?: PdfPreviewImage | undefined;
}

/**
 * The first-page image of a PDF: its URL, its pixels and the document's page count; or, when
 * the server had not finished looking for it (`later`), only its URL, which viewer_boot.js
 * tries and shows if it comes (a 404 when the file has none).
 */
export type PdfPreviewImage =
  | { url: string; width: number; height: number; pages: number; later?: undefined }
  | { url: string; later: true };

/** `2,4 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte`;
  const units = ["KB", "MB", "GB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toLocaleString("it-IT", { maximumFractionDigits: 1 })} ${units[unit]}`;
}

/** Page and zoom buttons, shared by PDFs and images; ≥ 44 px targets by app.css. */
const Toolbar: FC = () => {
  const { t } = useI18n();
  const v = t.viewer;
  return (
    <div class="viewer-toolbar" role="toolbar" aria-label={v.toolbar}>
      <div class="viewer-pages">
        <button type="button" class="btn btn-outline-primary" data-action="prev" disabled>
          {v.previous}
        </button>
        <p class="viewer-status" data-role="status" aria-live="polite">{v.loading}</p>
        <button type="button" class="btn btn-outline-primary" data-action="next" disabled>
          {v.next}
        </button>
      </div>
      <div class="viewer-zoom">
        <button
          type="button"
          class="btn btn-outline-primary"
          data-action="zoom-out"
          aria-label={v.zoomOut}
        >
          −
        </button>
        <button type="button" class="btn btn-outline-primary" data-action="fit">
          {v.fit}
        </button>
        <button
          type="button"
          class="btn btn-outline-primary"
          data-action="zoom-in"
          aria-label={v.zoomIn}
        >
          +
        </button>
      </div>
    </div>
  );
};

// viewer.js writes the page status and alt texts: it reads their words from the root.
function scriptWords(v: Messages["viewer"], locale: Locale) {
  if (locale === "it") return {};
  return {
    "data-words-loading": v.loading,
    "data-words-page": v.jsPage,
    "data-words-page-of": v.jsPageOf,
    "data-words-failed": v.jsFailed,
  };
}

const PdfViewer: FC<{ title: string; file: string; preview?: PdfPreviewImage | undefined }> = (
  { title, file, preview },
) => {
  const { t, locale } = useI18n();
  return (
    <div
      {...scriptWords(t.viewer, locale)}
      class="doc-viewer"
      data-viewer="pdf"
      data-src={file}
      data-title={title}
      data-pdfjs={assetUrl("pdfjs/build/pdf.min.mjs")}
      data-worker={assetUrl("pdfjs/build/pdf.worker.min.mjs")}
      data-wasm={assetUrl("pdfjs/wasm/")}
      data-fonts={assetUrl("pdfjs/standard_fonts/")}
      data-cmaps={assetUrl("pdfjs/cmaps/")}
      data-preview={preview && !preview.later ? "1" : undefined}
      data-preview-later={preview?.later ? preview.url : undefined}
      data-preview-alt={preview?.later ? t.viewer.firstPage(title) : undefined}
    >
      <link rel="modulepreload" href={assetUrl("pdfjs/build/pdf.min.mjs")} />
      <Toolbar />
      <div class="viewer-stage" role="region" aria-label={t.viewer.document(title)} tabindex={0}>
        {preview && !preview.later
          ? (
            // The scan's own picture of page 1, painted as soon as it arrives; viewer.js swaps
            // in the canvas once PDF.js has drawn the page. `elementtiming` lets the bench read
            // when it was painted.
            <img
              class="viewer-preview"
              src={preview.url}
              width={preview.width}
              height={preview.height}
              alt={t.viewer.pageOf(1, preview.pages, title)}
              fetchpriority="high"
              elementtiming="first-page"
            />
          )
          : null}
        <canvas
          class="viewer-canvas"
          role="img"
          aria-label={t.viewer.firstPage(title)}
          hidden={preview && !preview.later ? true : undefined}
        >
        </canvas>
      </div>
      {
        /* Classic and not deferred: it runs as soon as it is parsed (see the file); after the
          stage, so that the page-1 picture's element exists before the parser stops for it. */
      }
      <script src={assetUrl("viewer_boot.js")}></script>
    </div>
  );
};

/** Stamped pages: PDF.js opens each page's own one-page PDF (static/viewer.js, "stamped"). */
const StampedViewer: FC<{ title: string; pages: number; pageUrl: string }> = (
  { title, pages, pageUrl },
) => {
  const { t, locale } = useI18n();
  return (
    <div
      {...scriptWords(t.viewer, locale)}
      class="doc-viewer"
      data-viewer="stamped"
      data-pages={String(pages)}
      data-page-url={pageUrl}
      data-title={title}
      data-pdfjs={assetUrl("pdfjs/build/pdf.min.mjs")}
      data-worker={assetUrl("pdfjs/build/pdf.worker.min.mjs")}
      data-wasm={assetUrl("pdfjs/wasm/")}
      data-fonts={assetUrl("pdfjs/standard_fonts/")}
      data-cmaps={assetUrl("pdfjs/cmaps/")}
    >
      <link rel="modulepreload" href={assetUrl("pdfjs/build/pdf.min.mjs")} />
      <Toolbar />
      <div class="viewer-stage" role="region" aria-label={t.viewer.document(title)} tabindex={0}>
        <canvas class="viewer-canvas" role="img" aria-label={t.viewer.firstPage(title)}></canvas>
      </div>
    </div>
  );
};

const ImageViewer: FC<
  { title: string; pages: number; first: string; pageUrl?: string | undefined }
> = (
  { title, pages, first, pageUrl },
) => {
  const { t, locale } = useI18n();
  return (
    <div
      {...scriptWords(t.viewer, locale)}
      class="doc-viewer"
      data-viewer="image"
      data-title={title}
      data-pages={String(pages)}
      data-page-url={pageUrl}
    >
      <Toolbar />
      <div class="viewer-stage" role="region" aria-label={t.viewer.document(title)} tabindex={0}>
        <img class="viewer-image" src={first} alt={t.viewer.pageOf(1, pages, title)} />
      </div>
    </div>
  );
};

/** Native players seek with Range requests to the file endpoint. */
const MediaPlayer: FC<{ kind: "audio" | "video"; title: string; file: string }> = (
  { kind, title, file },
) =>
  kind === "audio"
    ? (
      <audio class="doc-player" controls preload="metadata" src={file} aria-label={title}>
        <a href={file}>{useI18n().t.viewer.downloadAudio}</a>
      </audio>
    )
    : (
      <video
        class="doc-player"
        controls
        preload="metadata"
        playsinline
        src={file}
        aria-label={title}
      >
        <a href={file}>{useI18n().t.viewer.downloadVideo}</a>
      </video>
    );

/** Bytes not here yet: say so plainly, and let a clerk ask for them. */
export const MissingBytes: FC<{
  showFetchButton: boolean;
  fetchRequested: boolean;
  fetchAction?: string | undefined;
  csrfToken?: string | undefined;
}> = ({ showFetchButton, fetchRequested, fetchAction, csrfToken }) => {
  const { t } = useI18n();
  return (
    <div class="callout note doc-missing" role="status">
      <p class="doc-missing-text">
        {t.viewer.missing}
      </p>
      {fetchRequested
        ? <p>{t.viewer.fetchRequested}</p>
        : showFetchButton && fetchAction
        ? (
          <form method="post" action={fetchAction}>
            {csrfToken ? <input type="hidden" name={CSRF_FIELD} value={csrfToken} /> : null}
            <button type="submit" class="btn btn-primary">{t.viewer.fetchHere}</button>
          </form>
        )
        : null}
    </div>
  );
};

function Body(props: DocumentViewerProps) {
  const { title, mime, urls } = props;
  const { t, locale } = useI18n();
  if (!props.present) {
    return (
      <MissingBytes
        showFetchButton={props.showFetchButton}
        fetchRequested={props.fetchRequested}
        fetchAction={urls.fetchAction}
        csrfToken={props.csrfToken}
      />
    );
  }
  if (props.unreadable) {
    return (
      <div class="callout warning" role="status">
        {/* The detail is the TIFF reader's own (Italian) words: marked so, not translated. */}
        <p>
          {t.viewer.unreadable}{" "}
          {locale === "it" ? props.unreadable : <span lang="it">{props.unreadable}</span>}
        </p>
      </div>
    );
  }
  if (props.stamped) {
    return (
      <StampedViewer title={title} pages={props.stamped.pages} pageUrl={props.stamped.pageUrl} />
    );
  }
  // Converted pages (a TIFF, which no browser shows) are PNG images, however many there are.
  const kind = props.imagePages !== undefined ? "image" : viewerKind(mime);
  switch (kind) {
    case "pdf":
      return <PdfViewer title={title} file={urls.file} preview={props.preview} />;
    case "image": {
      const template = props.imagePages !== undefined ? urls.pageImage : undefined;
      return template
        ? (
          <ImageViewer
            title={title}
            pages={props.imagePages ?? 1}
            first={template.replace("{n}", "1")}
            pageUrl={template}
          />
        )
        : <ImageViewer title={title} pages={1} first={urls.file} />;
    }
    case "audio":
    case "video":
      return <MediaPlayer kind={kind} title={title} file={urls.file} />;
    case "other":
      return (
        <p>
          {t.viewer.other}
        </p>
      );
  }
}

/** The whole viewer page. */
export const DocumentViewerPage: FC<DocumentViewerProps> = (props) => {
  const { t } = useI18n();
  return (
    <Layout title={props.title}>
      <link rel="stylesheet" href={assetUrl("viewer.css")} />
      {props.urls.back
        ? (
          <p class="mb-1">
            <a href={props.urls.back.href}>{translate(props.urls.back.label, t)}</a>
          </p>
        )
        : null}
      <h1 class="h2">{props.title}</h1>
      <div class="doc-layout">
        <div class="doc-main">
          <Body {...props} />
          {props.stamped?.copyUrl
            ? (
              <p class="doc-download">
                <a href={props.stamped.copyUrl} data-testid="stamped-copy">{t.consult.copy}</a>
              </p>
            )
            : null}
          {props.present && !props.stamped
            ? (
              <p class="doc-download">
                <a href={props.urls.file} download>
                  {t.viewer.download(formatBytes(props.bytes))}
                </a>
              </p>
            )
            : null}
          {props.present && props.urls.original
            ? (
              <p class="doc-download">
                <a href={props.urls.original.href} download={props.urls.original.fileName}>
                  {t.viewer.downloadSigned(props.urls.original.fileName)}
                </a>
              </p>
            )
            : null}
        </div>
        {props.signatures
          ? (
            <aside class="doc-side">
              <SignaturePanel report={props.signatures} showTaxCode={props.staff} />
            </aside>
          )
          : null}
      </div>
      <script type="module" src={assetUrl("viewer.js")}></script>
    </Layout>
  );
};
