namespace Acme.Validation.Replies;

/// <summary>The S/MIME Baseline Requirements validation method recorded with each validated reply (SBR §3.2.2 ¶4).</summary>
public static class SbrMethod
{
    /// <summary>The method: SBR §3.2.2.4, validating mailbox control with ACME <c>email-reply-00</c>.</summary>
    public const string Text = "SBR 3.2.2.4 (ACME email-reply-00, RFC 8823)";

    /// <summary>The SBR version that defines the method as applied.</summary>
    public const string Version = "1.0.10";
}
