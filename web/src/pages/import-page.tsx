import { useId, useRef, useState, type DragEvent, type FormEvent } from "react";
import { HubRequestError } from "../api/hub-request";
import { importThroughJob, type ImportJob } from "../api/import-job";
import type { ImportReport } from "../api/import-report";
import { ErrorMessage } from "../app/status-message";
import { href } from "../app/use-hash-route";
import { useViewer } from "../app/viewer";
import {
  answerFields,
  ImportAnswersForm,
  NO_ANSWERS,
  RememberedAnswersNote,
  type ImportAnswers,
} from "./import-answers";
import { ImportReportView } from "./import-report-view";
import { ProblemsWorkbookButton } from "./problems-workbook-button";

/** The files the importer reads (importers/read-workbook-sheets.ts decides; this only filters the picker). */
const ACCEPT = ".xlsx,.xlsm,.xls,.csv,.ods";

type FileState =
  | { step: "waiting" }
  | { step: "checking" | "importing"; job?: ImportJob }
  | { step: "checked" | "imported"; report: ImportReport }
  | { step: "failed"; error: string };

interface Choice {
  file: File;
  state: FileState;
  /** Answers given in the page for this workbook (see import-answers.tsx). */
  answers: ImportAnswers;
}

/**
 * Sends one workbook to POST /imports, which queues it as a job, and follows the job until it ends.
 * A hook for later issues: remembered import profiles would add their answers as form fields here.
 */
async function upload(
  file: File,
  options: { dryRun: boolean; period: string; partnership: string },
  answers: ImportAnswers,
  onJob: (job: ImportJob) => void,
): Promise<ImportReport> {
  const form = new FormData();
  if (options.dryRun) form.set("dryRun", "true");
  if (options.period) form.set("period", options.period);
  if (options.partnership) form.set("partnership", options.partnership);
  // The workbook's own answers win over the page-wide ones.
  for (const [name, value] of answerFields(answers)) form.set(name, value);
  form.set("file", file, file.name);
  return importThroughJob(form, onJob);
}

/** What a job under way has done so far, in a few words. */
function jobProgress(job: ImportJob | undefined): string {
  if (!job || job.state === "QUEUED")
    return job && job.attempts > 0
      ? " (waiting to be tried again)"
      : " (queued)";
  if (!job.progress) return "";
  const rows = job.progress.rowsRead.toLocaleString("en-GB");
  return ` ${rows} rows read${job.progress.sheet ? ` in ${job.progress.sheet}` : ""}`;
}

/** Choose or drop workbooks; each gets a dry run first, then "Import" when it is clean. */
export function ImportPage() {
  const viewer = useViewer()!;
  const id = useId();
  const [choices, setChoices] = useState<Choice[]>([]);
  const [period, setPeriod] = useState("");
  const [partnership, setPartnership] = useState("");
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  if (!viewer.mayImport)
    return (
      <ErrorMessage>
        Importing needs an analyst (or higher) token not bound to councils;
        yours is {viewer.role.toLowerCase()}
        {viewer.councilGssCodes ? ", bound to councils" : ""}.
      </ErrorMessage>
    );

  const update = (index: number, state: FileState) =>
    setChoices((all) => all.map((c, i) => (i === index ? { ...c, state } : c)));

  const setAnswers = (index: number, answers: ImportAnswers) =>
    setChoices((all) =>
      all.map((c, i) => (i === index ? { ...c, answers } : c)),
    );

  const run = async (
    index: number,
    file: File,
    dryRun: boolean,
    answers: ImportAnswers,
  ) => {
    const step = dryRun ? "checking" : "importing";
    update(index, { step });
    try {
      const report = await upload(
        file,
        { dryRun, period, partnership },
        answers,
        (job) => update(index, { step, job }),
      );
      update(index, { step: dryRun ? "checked" : "imported", report });
    } catch (error) {
      update(index, {
        step: "failed",
        error: error instanceof HubRequestError ? error.message : String(error),
      });
    }
  };

  const add = (files: FileList | null) => {
    if (!files?.length) return;
    const start = choices.length;
    const added = [...files].map((file) => ({
      file,
      state: { step: "waiting" } as FileState,
      answers: NO_ANSWERS,
    }));
    setChoices((all) => [...all, ...added]);
    added.forEach((c, i) => void run(start + i, c.file, true, NO_ANSWERS));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    add(input.current?.files ?? null);
    if (input.current) input.current.value = "";
  };
  const drop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    add(event.dataTransfer.files);
  };

  return (
    <section aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>Import workbooks</h1>
      <p>
        Each workbook is checked first with a dry run, which writes nothing.
        When the check finds no errors, import it. Every run is kept in the{" "}
        <a href={href("history")}>history</a>.
      </p>
      <form className="import-form" onSubmit={submit}>
        <div
          className={`drop ${dragging ? "dragging" : ""}`}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={drop}
        >
          <label htmlFor={`${id}-file`}>
            Workbooks (drop them here or choose)
          </label>
          <input
            id={`${id}-file`}
            ref={input}
            type="file"
            multiple
            accept={ACCEPT}
          />
        </div>
        <div className="filters">
          <div>
            <label htmlFor={`${id}-period`}>
              Reporting month (if the workbook does not say)
            </label>
            <input
              id={`${id}-period`}
              type="month"
              value={period}
              onChange={(e) => setPeriod(e.target.value)}
            />
          </div>
          <div>
            <label htmlFor={`${id}-partnership`}>
              Partnership (if the workbook does not say)
            </label>
            <input
              id={`${id}-partnership`}
              type="text"
              value={partnership}
              onChange={(e) => setPartnership(e.target.value)}
            />
          </div>
        </div>
        <button type="submit">Check (dry run)</button>
      </form>
      {choices.map((choice, index) => (
        <article className="card" key={index} aria-label={choice.file.name}>
          <h2>{choice.file.name}</h2>
          {choice.state.step === "waiting" && <p role="status">Checking…</p>}
          {choice.state.step === "checking" && (
            <p role="status">Checking…{jobProgress(choice.state.job)}</p>
          )}
          {choice.state.step === "importing" && (
            <p role="status">Importing…{jobProgress(choice.state.job)}</p>
          )}
          {choice.state.step === "failed" && (
            <ErrorMessage>{choice.state.error}</ErrorMessage>
          )}
          {(choice.state.step === "checked" ||
            choice.state.step === "imported") && (
            <>
              <ImportReportView report={choice.state.report} />
              <RememberedAnswersNote report={choice.state.report} />
              {choice.state.step === "checked" && (
                <ImportAnswersForm
                  report={choice.state.report}
                  answers={choice.answers}
                  onChange={(answers) => setAnswers(index, answers)}
                  onCheck={() =>
                    void run(index, choice.file, true, choice.answers)
                  }
                />
              )}
              {choice.state.step === "checked" &&
                choice.state.report.errorCount === 0 && (
                  <button
                    type="button"
                    onClick={() =>
                      void run(index, choice.file, false, choice.answers)
                    }
                  >
                    Import {choice.file.name}
                  </button>
                )}
              {choice.state.step === "checked" &&
                choice.state.report.errorCount > 0 && (
                  <p>
                    Correct the cells marked above in the workbook, then choose
                    it again.
                  </p>
                )}
              {choice.state.report.problems.length > 0 && (
                <ProblemsWorkbookButton
                  file={choice.file}
                  importRunId={choice.state.report.importRunId}
                />
              )}
            </>
          )}
        </article>
      ))}
    </section>
  );
}
