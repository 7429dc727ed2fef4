using System.Collections.Concurrent;
using Acme.Server.Nonces;
using Acme.Server.Storage;
using Acme.Server.Workflows;
using Acme.Validation.Outcomes;
using Prometheus;

namespace Acme.Server.Observability;

/// <summary>
/// The server's Prometheus metrics, all named <c>acme_…</c> (docs/operations.md lists them). Each
/// application has its own instance and its own <see cref="CollectorRegistry"/> (never the library's
/// static default registry), so servers sharing a process, as in the tests, never see each other's numbers.
/// </summary>
public sealed class AcmeMetrics : IStatusChangeObserver
{
    private const string None = "none";
    private static readonly double[] ReplyBuckets = [1, 5, 15, 30, 60, 120, 300, 900, 1800, 3600, 4 * 3600, 24 * 3600];

    private readonly Histogram _requests;
    private readonly ConcurrentDictionary<(string Endpoint, string Method, int Status), Histogram.Child> _requestSeries = new();
    private readonly Counter _noncesIssued;
    private readonly Counter.Child _noncesRefusedUnknown;
    private readonly Counter.Child _noncesRefusedSwitch;
    private readonly Counter _statusChanges;
    private readonly Counter _validations;
    private readonly Counter _mails;
    private readonly Gauge _oldestWaitingMail;
    private readonly Counter _repliesReceived;
    private readonly Histogram _replyVerdict;
    private readonly Counter _refusals;
    private readonly Counter _certificatesIssued;
    private readonly Counter _certificatesRevoked;

    public AcmeMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        factory.ExemplarBehavior = ExemplarBehavior.NoExemplars();

        _requests = factory.CreateHistogram("acme_http_request_duration_seconds",
            "HTTP requests by endpoint (route template), method and status; _count is the number of requests.",
            ["endpoint", "method", "status"]);
        _noncesIssued = factory.CreateCounter("acme_nonces_issued_total", "Replay-Nonce values issued (RFC 8555 §6.5).");
        var refused = factory.CreateCounter("acme_nonces_refused_total", "Nonces refused as badNonce, by reason.", ["reason"]);
        _noncesRefusedUnknown = refused.WithLabels("unknown_expired_or_used");
        _noncesRefusedSwitch = refused.WithLabels("test_switch");
        _statusChanges = factory.CreateCounter("acme_status_changes_total",
            "Committed status changes by resource (account, order, authorization, challenge, certificate, challenge_mail); from=none: created.",
            ["resource", "from", "to"]);
        _validations = factory.CreateCounter("acme_validations_total",
            "Judged replies applied to challenges, by outcome and failure kind (none when verified).", ["outcome", "failure_kind"]);
        _mails = factory.CreateCounter("acme_challenge_mails_total", "Challenge mails by event: queued, sent, retried, failed.", ["event"]);
        _oldestWaitingMail = factory.CreateGauge("acme_challenge_mail_oldest_waiting_age_seconds",
            "Age of the oldest challenge mail still queued or being sent, at the time of the scrape; 0 when none waits.");
        _repliesReceived = factory.CreateCounter("acme_replies_received_total", "Reply mails recorded from the mailbox or the incoming folder.");
        _replyVerdict = factory.CreateHistogram("acme_reply_verdict_seconds", "Time from a reply's arrival to its verdict, by outcome.",
            ["outcome"], new HistogramConfiguration { Buckets = ReplyBuckets });
        _refusals = factory.CreateCounter("acme_refusals_total", "Requests refused by a policy check: caa (newOrder, finalize) or lint (pre-issuance).", ["check"]);
        _certificatesIssued = factory.CreateCounter("acme_certificates_issued_total", "Certificates issued and stored.");
        _certificatesRevoked = factory.CreateCounter("acme_certificates_revoked_total", "Certificates revoked.");

        // Exported as 0 from the start, so a rate() has a first point before the first event.
        foreach (var mailEvent in (string[])["queued", "sent", "retried", "failed"])
        {
            _mails.WithLabels(mailEvent);
        }

        _refusals.WithLabels("caa");
        _refusals.WithLabels("lint");
    }

    /// <summary>This application's registry, exported at <c>/metrics</c>.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>One finished request; <paramref name="endpoint"/> is a route template or a fixed word, never a raw path.</summary>
    /// <remarks>
    /// The hot path: the series is found by a tuple of the strings already at hand (no label array per
    /// request); the library builds its label set once per new combination. Cardinality is bounded by
    /// routes × methods × statuses.
    /// </remarks>
    public void Request(string endpoint, string method, int status, TimeSpan elapsed)
    {
        var key = (endpoint, method, status);
        if (!_requestSeries.TryGetValue(key, out var series))
        {
            series = _requestSeries.GetOrAdd(key, k => _requests.WithLabels(k.Endpoint, k.Method, StatusCodeText.Of(k.Status)));
        }

        series.Observe(elapsed.TotalSeconds);
    }

    public void NonceIssued() => _noncesIssued.Inc();

    public void NonceRedeemed(NonceRedemption redemption)
    {
        switch (redemption)
        {
            case NonceRedemption.UnknownExpiredOrUsed:
                _noncesRefusedUnknown.Inc();
                break;
            case NonceRedemption.RefusedByTestSwitch:
                _noncesRefusedSwitch.Inc();
                break;
        }
    }

    public void Validation(VerdictResult result, FailureKind? failure) =>
        _validations.WithLabels(Outcome(result), failure is { } kind ? Kind(kind) : None).Inc();

    public void ReplyReceived() => _repliesReceived.Inc();

    /// <summary>A reply was finished with <paramref name="outcome"/> (a short fixed word) <paramref name="sinceArrival"/> after it arrived.</summary>
    public void ReplyJudged(string outcome, TimeSpan sinceArrival) =>
        _replyVerdict.WithLabels(Enum.TryParse<VerdictResult>(outcome, out var result) ? Outcome(result) : outcome)
            .Observe(Math.Max(0, sinceArrival.TotalSeconds));

    public void CaaRefused() => _refusals.WithLabels("caa").Inc();

    public void LintRefused() => _refusals.WithLabels("lint").Inc();

    public void OldestWaitingMail(TimeSpan? age) => _oldestWaitingMail.Set(age is { } a ? Math.Max(0, a.TotalSeconds) : 0);

    /// <inheritdoc />
    public void OnCommitted(StatusChange change)
    {
        _statusChanges.WithLabels(change.Resource, change.From, change.To).Inc();
        switch (change)
        {
            case { Resource: "certificate", From: StatusChange.Created }:
                _certificatesIssued.Inc();
                break;
            case { Resource: "certificate", To: "revoked" }:
                _certificatesRevoked.Inc();
                break;
            case { Resource: "challenge_mail", From: StatusChange.Created }:
                _mails.WithLabels("queued").Inc();
                break;
            case { Resource: "challenge_mail", To: "sent" }:
                _mails.WithLabels("sent").Inc();
                break;
            case { Resource: "challenge_mail", From: "sending", To: "queued" }:
                _mails.WithLabels("retried").Inc();
                break;
            case { Resource: "challenge_mail", To: "failed" }:
                _mails.WithLabels("failed").Inc();
                break;
        }
    }

    private static string Outcome(VerdictResult result) => result switch
    {
        VerdictResult.StoredAwaitingClient => "stored_awaiting_client",
        VerdictResult.Valid => "valid",
        VerdictResult.Invalid => "invalid",
        VerdictResult.Ignored => "ignored",
        VerdictResult.UnknownChallenge => "unknown_challenge",
        VerdictResult.AuthorizationClosed => "authorization_closed",
        _ => "other",
    };

    private static string Kind(FailureKind kind) => kind switch
    {
        FailureKind.Malformed => "malformed",
        FailureKind.BadCsr => "bad_csr",
        FailureKind.BadPublicKey => "bad_public_key",
        FailureKind.Unauthorized => "unauthorized",
        FailureKind.IncorrectResponse => "incorrect_response",
        FailureKind.RejectedIdentifier => "rejected_identifier",
        FailureKind.UnsupportedIdentifier => "unsupported_identifier",
        FailureKind.Caa => "caa",
        FailureKind.Dns => "dns",
        FailureKind.Connection => "connection",
        FailureKind.InvalidProfile => "invalid_profile",
        FailureKind.ServerInternal => "server_internal",
        _ => "other",
    };
}
