namespace Acme.Validation.Dkim;

/// <summary>How strictly the DKIM <c>h=</c> list is held to RFC 8823 §3.2 item 9.</summary>
public enum DkimHeaderCoverage
{
    /// <summary>
    /// Every header of the RFC 8823 §3.2 item 9 list that is present in the reply must be signed,
    /// and From and Subject always. This is what ordinary MTAs (opendkim, large providers) produce.
    /// </summary>
    PresentOnly,

    /// <summary>Every name of the RFC 8823 §3.2 item 9 list must appear in <c>h=</c>, present or not.</summary>
    Strict,
}
