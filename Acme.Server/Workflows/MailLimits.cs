using System.Data.Common;
using Acme.Server.Hosting;
using Acme.Server.Protocol.Problems;
using Acme.Server.Storage;
using Acme.Validation.Identifiers;
using Microsoft.Extensions.Options;

namespace Acme.Server.Workflows;

/// <summary>
/// The mail-bombing guard: every new authorization sends one challenge mail, so new authorizations
/// are capped per inbox in 24 hours (the recipient key: <c>Vic@</c>, <c>vic+1@</c> and <c>vic@</c> are
/// one inbox), per recipient domain in one hour (all accounts together), and per account in one hour.
/// A refusal is <c>rateLimited</c> with <c>Retry-After</c> the time until a slot frees, when the oldest of the
/// newest <i>limit</i> leaves its window (RFC 8555 §6.6); no window is read beyond its limit.
/// </summary>
public sealed class MailLimits(IOrderStore orders, IOptions<MailOptions> options)
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private const string Inbox = "inbox", Domain = "domain", Account = "account"; // mail_limit_minutes.scope

    /// <summary>
    /// Throws <c>rateLimited</c> when one more challenge mail to <paramref name="mailbox"/> would pass a limit; otherwise
    /// counts the new authorization in the per-minute counts, in the same transaction as its insert.
    /// </summary>
    public async Task CheckAsync(DbConnection c, DbTransaction tx, string accountId, NormalizedMailbox mailbox, DateTimeOffset now)
    {
        var limits = options.Value;
        Window[] windows =
        [
            new(Inbox, mailbox.RecipientKey, limits.MaxChallengesPerMailboxPerDay, Day, orders.CountForRecipientSinceAsync,
                () => $"the inbox of {mailbox.Address} ({mailbox.RecipientKey}, counting every spelling and plus tag) has received {limits.MaxChallengesPerMailboxPerDay} challenge mails in the last 24 hours, the limit (Mail:MaxChallengesPerMailboxPerDay)"),
            new(Domain, mailbox.Domain, limits.MaxChallengesPerDomainPerHour, Hour, orders.CountForDomainSinceAsync,
                () => $"mailboxes at {mailbox.Domain} have received {limits.MaxChallengesPerDomainPerHour} challenge mails in the last hour, the limit (Mail:MaxChallengesPerDomainPerHour)"),
            new(Account, accountId, limits.MaxChallengesPerAccountPerHour, Hour, orders.CountForAccountSinceAsync,
                () => $"this account has started {limits.MaxChallengesPerAccountPerHour} mailbox validations in the last hour, the limit (Mail:MaxChallengesPerAccountPerHour)"),
        ];

        // Below the limit by the per-minute counts (an upper bound, one statement for the three): allowed without
        // reading the window's rows; only a window at its limit by that bound is counted exactly.
        var upper = await orders.CountsAtMostSinceAsync(c, tx, windows.Select(w => (w.Scope, w.Subject, w.Since(now))).ToList());
        for (var i = 0; i < windows.Length; i++)
        {
            if (upper[i] >= windows[i].Limit)
            {
                await CheckExactlyAsync(c, tx, windows[i], now);
            }
        }

        await orders.CountNewAuthorizationAsync(c, tx, windows.Select(w => (w.Scope, w.Subject)).ToList(),
            now.ToUnixTimeMilliseconds(), (now - Day).ToUnixTimeMilliseconds());
    }

    private delegate Task<(long Count, long? Oldest)> ExactCount(DbConnection c, DbTransaction tx, string subject, long since, int limit);

    private sealed record Window(string Scope, string Subject, int Limit, TimeSpan Length, ExactCount Exact, Func<string> Detail)
    {
        public long Since(DateTimeOffset now) => (now - Length).ToUnixTimeMilliseconds();
    }

    private static async Task CheckExactlyAsync(DbConnection c, DbTransaction tx, Window w, DateTimeOffset now)
    {
        var window = await w.Exact(c, tx, w.Subject, w.Since(now), w.Limit);
        if (window.Count < w.Limit)
        {
            return;
        }

        var freeAt = DateTimeOffset.FromUnixTimeMilliseconds(window.Oldest ?? now.ToUnixTimeMilliseconds()) + w.Length;
        var seconds = (int)Math.Clamp(Math.Ceiling((freeAt - now).TotalSeconds), 1, w.Length.TotalSeconds);
        throw new AcmeProblemException(AcmeProblems.RateLimited($"{w.Detail()}; try again in {seconds} s", seconds));
    }
}
