import {
  checkAttachment,
  cleanFilename,
  jpegName,
  sizeText,
  MAX_ATTACHMENT_BYTES,
} from "../../pwa/src/js/ui/evidence_model.js";

const file = (type, size, name = "x") => ({ type, size, name });

describe("which files may be attached", () => {
  test("photos and PDFs within the limit", () => {
    expect(checkAttachment(file("image/jpeg", 1000))).toBeNull();
    expect(checkAttachment(file("image/png", 1000))).toBeNull();
    expect(
      checkAttachment(file("application/pdf", MAX_ATTACHMENT_BYTES)),
    ).toBeNull();
  });

  test("other types, empty and too large files are refused with a reason", () => {
    expect(checkAttachment(null)).toBe("choose");
    expect(checkAttachment(file("application/pdf", 0))).toBe("empty");
    expect(checkAttachment(file("text/html", 10))).toBe("type");
    expect(checkAttachment(file("application/zip", 10))).toBe("type");
    expect(
      checkAttachment(file("application/pdf", MAX_ATTACHMENT_BYTES + 1)),
    ).toBe("too_large");
  });

  test("a large photo is fine: it is re-encoded smaller before it is kept", () => {
    expect(
      checkAttachment(file("image/heic", MAX_ATTACHMENT_BYTES * 2)),
    ).toBeNull();
  });
});

describe("names and sizes", () => {
  test("a name loses its path and is bounded", () => {
    expect(cleanFilename("C:\\Users\\hanne\\kursusbevis.pdf", "bilag")).toBe(
      "kursusbevis.pdf",
    );
    expect(cleanFilename("   ", "bilag")).toBe("bilag");
    expect(cleanFilename("a".repeat(300), "bilag")).toHaveLength(200);
  });

  test("a re-encoded photo ends in .jpg", () => {
    expect(jpegName("IMG_0042.HEIC")).toBe("IMG_0042.jpg");
    expect(jpegName("")).toBe("foto.jpg");
  });

  test("sizes read as kB or MB", () => {
    expect(sizeText(100)).toBe("1 kB");
    expect(sizeText(20 * 1024)).toBe("20 kB");
    expect(sizeText(3.4 * 1024 * 1024)).toBe("3.4 MB");
  });
});
