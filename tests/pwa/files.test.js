import {
  filenameFromDisposition,
  exportQuery,
  checkImportFile,
  importErrorKey,
  IMPORT_MAX_BYTES,
} from "../../pwa/src/js/files.js";

describe("downloaded file names", () => {
  test("filename* (UTF-8) wins over the plain name", () => {
    expect(
      filenameFromDisposition(
        "attachment; filename=opflgningsplan.docx; filename*=UTF-8''opf%C3%B8lgningsplan.docx",
      ),
    ).toBe("opfølgningsplan.docx");
    expect(filenameFromDisposition('attachment; filename="items.csv"')).toBe(
      "items.csv",
    );
    expect(filenameFromDisposition("attachment; filename=items.xlsx")).toBe(
      "items.xlsx",
    );
  });

  test("no header, or a path in it, gives no name or only the last part", () => {
    expect(filenameFromDisposition(null)).toBeNull();
    expect(filenameFromDisposition("attachment")).toBeNull();
    expect(
      filenameFromDisposition('attachment; filename="../../etc/passwd"'),
    ).toBe("passwd");
  });
});

describe("export filters", () => {
  test("only the filters that are set, overdue as true", () => {
    expect(
      exportQuery({ lang: "sv", unitId: "u-1", state: "done", overdue: true }),
    ).toBe("?lang=sv&unit_id=u-1&state=done&overdue=true");
    expect(
      exportQuery({ lang: "da", unitId: "", state: "", overdue: false }),
    ).toBe("?lang=da");
    expect(exportQuery({ state: "bogus" })).toBe("");
  });
});

describe("import errors", () => {
  test("the browser refuses no file, an empty one and one over the limit before sending", () => {
    expect(checkImportFile(null)).toBe("choose");
    expect(checkImportFile({ size: 0 })).toBe("empty");
    expect(checkImportFile({ size: IMPORT_MAX_BYTES + 1 })).toBe("too_large");
    expect(checkImportFile({ size: 1000 })).toBeNull();
  });

  test("the server's refusals map to their messages by reason code, whatever the language", () => {
    const refused = (reason, words) => {
      const body = {
        error: "invalid_input",
        message: `file: ${words}`,
        fields: { file: [words] },
        reason,
      };
      return {
        status: 422,
        code: "invalid_input",
        message: body.message,
        fields: body.fields,
        body,
      };
    };
    expect(
      importErrorKey(
        refused("not_docx", "Filen er ikke et Word-dokument (.docx)."),
      ),
    ).toBe("not_docx");
    expect(
      importErrorKey(
        refused("corrupt", "Word-dokumentet är skadat och kan inte läsas."),
      ),
    ).toBe("corrupt");
    expect(
      importErrorKey(
        refused(
          "macros",
          "The document contains macros; save it as .docx without macros.",
        ),
      ),
    ).toBe("macros");
    expect(importErrorKey(refused("empty", "Filen är tom."))).toBe("empty");
    expect(
      importErrorKey({
        status: 413,
        code: "too_large",
        message: "The file is larger than 5 MB.",
      }),
    ).toBe("too_large");
    expect(importErrorKey({ status: 0, code: "network" })).toBe("network");
    expect(importErrorKey({ status: 403, code: "forbidden" })).toBe(
      "forbidden",
    );
    // No code, or one this app does not know: the server's own words are shown (generic).
    expect(
      importErrorKey(refused(undefined, "The document contains macros.")),
    ).toBe("generic");
    expect(
      importErrorKey(refused("encrypted", "Dokumentet er krypteret.")),
    ).toBe("generic");
  });
});
