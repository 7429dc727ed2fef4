namespace Acme.Tests.Support.Mail;

/// <summary>What a test reply says: author, recipient, Subject token, digest and In-Reply-To.</summary>
public sealed record ReplyContent(string From, string To, string TokenPart1, string Digest, string? InReplyTo = "challenge-1@ca.example.test");
