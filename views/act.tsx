/** The public page of a council act, as published (text already without personal data). */
import type { FC } from "hono/jsx";
import type { PublicAct } from "../domain/public_record.ts";
import { useI18n } from "../i18n/context.tsx";
import { Layout } from "./layout.tsx";
import { DocumentList, RequestAccess } from "./record.tsx";
import { type CameFrom, RecordNav } from "./record_nav.tsx";
import {
  PrintButton,
  type RecordSheet,
  RecordSheetFoot,
  RecordSheetHead,
} from "./record_sheet.tsx";

/** "Delibera di Consiglio n. 34/2019". */
export function actTitle(a: { number: string; year: number }, kindTitle: string): string {
  return `${kindTitle} n. ${a.number}/${a.year}`;
}

/** The whole act page. */
export const ActPage: FC<{
  act: PublicAct;
  kindTitle: string;
  dataUpdatedAt?: string | undefined;
  from?: CameFrom | undefined;
  sheet: RecordSheet;
}> = ({ act, kindTitle, dataUpdatedAt, from, sheet }) => {
  const { t, day } = useI18n();
  return (
    <Layout title={actTitle(act, kindTitle)} dataUpdatedAt={dataUpdatedAt}>
      <RecordNav title={actTitle(act, kindTitle)} from={from} />
      <RecordSheetHead sheet={sheet} title={actTitle(act, kindTitle)} id={act.id} />
      <h1>{actTitle(act, kindTitle)}</h1>
      <p class="lead">{act.subject}</p>
      <dl class="facts">
        <div class="fact">
          <dt>{t.record.actDate}</dt>
          <dd>{day(act.date)}</dd>
        </div>
        {act.office
          ? (
            <div class="fact">
              <dt>{t.record.office}</dt>
              <dd>{act.office}</dd>
            </div>
          )
          : null}
        {act.publishedFrom
          ? (
            <div class="fact">
              <dt>{t.record.noticeBoard}</dt>
              <dd>
                {t.record.publishedFrom(day(act.publishedFrom))}
                {act.publishedTo ? t.record.publishedTo(day(act.publishedTo)) : ""}
              </dd>
            </div>
          )
          : null}
      </dl>
      {act.text
        ? (
          <>
            <h2 class="h4">{t.record.text}</h2>
            <div class="act-text">{act.text}</div>
          </>
        )
        : null}
      <h2 class="h4">{t.record.attachments}</h2>
      <DocumentList documents={act.attachments} kind="act" recordId={act.id} />
      <PrintButton />
      <RequestAccess kind="act" id={act.id} />
      <RecordSheetFoot sheet={sheet} />
    </Layout>
  );
};
