import { part, type Piece, type TemplatePart } from "@/lib/email/message-template";

/*
 * The shell every campaign email shares: HTML document, footer with the reason and the unsubscribe link, open
 * pixel; and the text part's footer. Built from pieces (lib/email/message-template.ts), so the renderer can
 * leave per-recipient values as slots and the SES mailer can send the shell once as a template.
 */

/** The HTML document's variable pieces, already HTML-escaped. */
export interface HtmlLayoutPieces {
  title: Piece;
  body: Piece;
  reason: Piece;
  unsubscribeUrl: Piece;
  pixelUrl: Piece;
}

export interface TextLayoutPieces {
  body: Piece;
  reason: Piece;
  unsubscribeUrl: Piece;
}

export function layoutHtml(p: HtmlLayoutPieces): TemplatePart {
  return part(
    '<!doctype html>\n<html><head><meta charset="utf-8"><title>',
    p.title,
    '</title></head>\n<body style="font-family:Arial,Helvetica,sans-serif;line-height:1.5;color:#111">\n',
    p.body,
    '\n<hr style="border:0;border-top:1px solid #ddd">\n<p style="font-size:12px;color:#666">',
    p.reason,
    ' <a href="',
    p.unsubscribeUrl,
    '">Unsubscribe</a></p>\n<img src="',
    p.pixelUrl,
    '" width="1" height="1" alt="" style="display:block;border:0">\n</body></html>',
  );
}

export function layoutText(p: TextLayoutPieces): TemplatePart {
  return part(p.body, "\n\n--\n\n", p.reason, "\nUnsubscribe: ", p.unsubscribeUrl);
}
