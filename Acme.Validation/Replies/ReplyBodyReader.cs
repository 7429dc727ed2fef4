using MimeKit;

namespace Acme.Validation.Replies;

/// <summary>Finds the text that should hold the ACME response block (RFC 8823 §3.2 items 7–8).</summary>
public static class ReplyBodyReader
{
    /// <summary>
    /// The decoded text of the first <c>text/plain</c> leaf in a depth-first walk of the MIME tree
    /// (top level, or inside any multipart such as alternative, mixed or signed), with the
    /// Content-Transfer-Encoding and charset decoded by MimeKit. A message without a Content-Type
    /// is text/plain (RFC 2045 §5.2). Attached messages (message/rfc822) are not entered. Null
    /// when there is no text/plain part.
    /// </summary>
    public static string? FindResponseText(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Find(message.Body);
    }

    private static string? Find(MimeEntity? entity)
    {
        switch (entity)
        {
            case TextPart text when text.IsPlain:
                return text.Text;
            case Multipart multipart:
                foreach (var child in multipart)
                {
                    var found = Find(child);
                    if (found is not null)
                    {
                        return found;
                    }
                }

                return null;
            default:
                return null;
        }
    }
}
