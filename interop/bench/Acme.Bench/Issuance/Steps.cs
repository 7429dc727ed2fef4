namespace Acme.Bench.Issuance;

/// <summary>The measured steps of one issuance, in the order they happen, as the report names them.</summary>
public static class Steps
{
    /// <summary>POST newOrder.</summary>
    public const string NewOrder = "newOrder";

    /// <summary>The first POST-as-GET of the authorization (ours: creates token-part1 and queues the mail).</summary>
    public const string Authorization = "authz";

    /// <summary>Ours only: from the authorization answer until the challenge mail is in the outgoing folder.</summary>
    public const string MailWait = "mail wait";

    /// <summary>
    /// Until the authorization is valid: ours from the reply landing in incoming/new (the challenge POST included),
    /// Pebble from the challenge POST.
    /// </summary>
    public const string Valid = "valid";

    /// <summary>CSR made, finalize POSTed, order polled until valid.</summary>
    public const string Finalize = "finalize";

    /// <summary>POST-as-GET of the certificate chain.</summary>
    public const string Download = "download";

    /// <summary>From newOrder to the downloaded certificate (client work included).</summary>
    public const string Total = "total";

    /// <summary>All steps in report order.</summary>
    public static IReadOnlyList<string> All { get; } = [NewOrder, Authorization, MailWait, Valid, Finalize, Download, Total];
}
