using System.Data.Common;
using Dapper;

namespace Acme.Server.Storage;

/// <summary>Orders, their authorizations and challenges (one aggregate, as in Boulder's SA).</summary>
/// <param name="changes">Where created rows and status changes are noted for the metrics.</param>
public sealed partial class OrderStore(StatusChangeLog changes) : IOrderStore
{
    // The minute before which mail_limit_minutes was last purged by this instance.
    private long _purgedBeforeMinute;

    private const long MinuteMs = 60_000; // mail_limit_minutes.minute is created_at / 60000 (migration 0010)

    private const string OrderColumns =
        "o.id AS Id, o.account_id AS AccountId, o.status AS Status, o.expires AS Expires, o.not_before AS NotBefore, " +
        "o.not_after AS NotAfter, o.profile AS Profile, o.identifiers AS Identifiers, o.identifier_types AS IdentifierTypes, o.error AS Error, " +
        "o.certificate_id AS CertificateId, o.replaces AS Replaces, o.caa_checked_at AS CaaCheckedAt, o.caa_valid_until AS CaaValidUntil, " +
        "o.created_at AS CreatedAt";

    private const string AuthorizationColumns =
        "a.id AS Id, a.account_id AS AccountId, a.identifier AS Identifier, a.identifier_type AS IdentifierType, a.status AS Status, a.expires AS Expires, " +
        "a.validated_at AS ValidatedAt, a.created_at AS CreatedAt";

    private const string ChallengeColumns =
        "h.id AS Id, h.authorization_id AS AuthorizationId, h.type AS Type, h.status AS Status, h.token_part2 AS TokenPart2, " +
        "h.from_address AS FromAddress, h.token_part1 AS TokenPart1, h.token_part1_created_at AS TokenPart1CreatedAt, " +
        "h.client_responded_at AS ClientRespondedAt, h.reply_verified_at AS ReplyVerifiedAt, h.validated_at AS ValidatedAt, " +
        "h.error AS Error, h.created_at AS CreatedAt";

    public Task<OrderRow?> FindOrderAsync(DbConnection c, string id, DbTransaction? tx = null) =>
        c.QuerySingleOrDefaultAsync<OrderRow>($"SELECT {OrderColumns} FROM orders o WHERE o.id = @id", new { id }, tx);

    public async Task<IReadOnlyList<AuthorizationRow>> AuthorizationsOfOrderAsync(DbConnection c, string orderId, DbTransaction? tx = null) =>
        (await c.QueryAsync<AuthorizationRow>(
            $"SELECT {AuthorizationColumns} FROM order_authorizations oa JOIN authorizations a ON a.id = oa.authorization_id " +
            "WHERE oa.order_id = @orderId ORDER BY oa.position", new { orderId }, tx)).AsList();

    public async Task<IReadOnlyList<string>> OrderIdsOfAuthorizationAsync(DbConnection c, DbTransaction tx, string authorizationId) =>
        (await c.QueryAsync<string>("SELECT order_id FROM order_authorizations WHERE authorization_id = @authorizationId", new { authorizationId }, tx)).AsList();

    public Task<AuthorizationRow?> FindAuthorizationAsync(DbConnection c, string id, DbTransaction? tx = null) =>
        c.QuerySingleOrDefaultAsync<AuthorizationRow>($"SELECT {AuthorizationColumns} FROM authorizations a WHERE a.id = @id", new { id }, tx);

    /// <summary>
    /// A valid, unexpired authorization of this account for the mailbox, newest first (RFC 8555 §7.4 reuse). With
    /// <paramref name="identifierType"/> only one created for that identifier type, so an order never lists an
    /// authorization that shows another type; null accepts any (the authorization belongs to the mailbox).
    /// </summary>
    public Task<AuthorizationRow?> FindReusableAuthorizationAsync(DbConnection c, DbTransaction? tx, string accountId, string identifier, string? identifierType, long validUntilAtLeast) =>
        c.QueryFirstOrDefaultAsync<AuthorizationRow>(
            $"SELECT {AuthorizationColumns} FROM authorizations a WHERE a.account_id = @accountId AND a.identifier = @identifier " +
            (identifierType is null ? string.Empty : "AND a.identifier_type = @identifierType ") +
            "AND a.status = 'valid' AND a.expires > @validUntilAtLeast ORDER BY a.expires DESC LIMIT 1",
            new { accountId, identifier, identifierType, validUntilAtLeast }, tx);

    /// <summary>RFC 9773 §5: another order, not invalid, already replaces this certificate.</summary>
    public async Task<bool> IsReplacedAsync(DbConnection c, DbTransaction tx, string replaces) =>
        await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM orders WHERE replaces = @replaces AND status <> 'invalid'", new { replaces }, tx) > 0;

    /// <summary>New authorizations (each sends at most one challenge mail) to one inbox (recipient key) since a time: see <see cref="NewestSinceAsync"/>.</summary>
    public Task<(long Count, long? Oldest)> CountForRecipientSinceAsync(DbConnection c, DbTransaction tx, string recipientKey, long since, int limit) =>
        NewestSinceAsync(c, tx, "recipient_key", recipientKey, since, limit);

    /// <summary>New authorizations for mailboxes of one domain since a time, all accounts together: see <see cref="NewestSinceAsync"/>.</summary>
    public Task<(long Count, long? Oldest)> CountForDomainSinceAsync(DbConnection c, DbTransaction tx, string domain, long since, int limit) =>
        NewestSinceAsync(c, tx, "recipient_domain", domain, since, limit);

    /// <summary>New authorizations of an account since a time: see <see cref="NewestSinceAsync"/>.</summary>
    public Task<(long Count, long? Oldest)> CountForAccountSinceAsync(DbConnection c, DbTransaction tx, string accountId, long since, int limit) =>
        NewestSinceAsync(c, tx, "account_id", accountId, since, limit);

    /// <summary>
    /// For each window, an upper bound of the new authorizations of its mail-limit subject created after its
    /// <c>Since</c>: the per-minute counts from the minute that holds it on (at most one row per minute). One
    /// statement for all windows, in their order.
    /// </summary>
    public async Task<IReadOnlyList<long>> CountsAtMostSinceAsync(DbConnection c, DbTransaction tx, IReadOnlyList<(string Scope, string Subject, long Since)> windows)
    {
        var parameters = new DynamicParameters();
        var parts = new string[windows.Count];
        for (var i = 0; i < windows.Count; i++)
        {
            var (scope, subject, since) = windows[i];
            parameters.Add($"s{i}", scope);
            parameters.Add($"u{i}", subject);
            parameters.Add($"f{i}", since / MinuteMs);
            parts[i] = $"SELECT CAST({i} AS BIGINT) AS k, CAST(COALESCE(SUM(n), 0) AS BIGINT) AS n FROM mail_limit_minutes " +
                       $"WHERE scope = @s{i} AND subject = @u{i} AND minute >= @f{i}";
        }

        var counts = new long[windows.Count];
        foreach (var (k, n) in await c.QueryAsync<(long, long)>(string.Join(" UNION ALL ", parts), parameters, tx))
        {
            counts[k] = n;
        }

        return counts;
    }

    /// <summary>
    /// Counts one new authorization in the minute of <paramref name="createdAt"/> for each subject (one statement; the
    /// subjects' scopes differ, so no row is named twice), and drops minutes before <paramref name="keepFrom"/>.
    /// </summary>
    public async Task CountNewAuthorizationAsync(DbConnection c, DbTransaction tx, IReadOnlyList<(string Scope, string Subject)> subjects, long createdAt, long keepFrom)
    {
        var parameters = new DynamicParameters(new { minute = createdAt / MinuteMs });
        var rows = new string[subjects.Count];
        for (var i = 0; i < subjects.Count; i++)
        {
            parameters.Add($"s{i}", subjects[i].Scope);
            parameters.Add($"u{i}", subjects[i].Subject);
            rows[i] = $"(@s{i}, @u{i}, @minute, 1)";
        }

        await c.ExecuteAsync(
            $"INSERT INTO mail_limit_minutes (scope, subject, minute, n) VALUES {string.Join(", ", rows)} " +
            "ON CONFLICT (scope, subject, minute) DO UPDATE SET n = mail_limit_minutes.n + 1", parameters, tx);

        // The minutes before keepFrom go once per minute, not with every new authorization (a statement per issuance,
        // issue 13). Rows left by a purge whose transaction rolled back go with the next one; until then the window
        // sums never read them (they start at the window's first minute). Two purges racing may leave the marker a
        // minute behind: the next authorization then purges once more, which deletes nothing.
        var stale = keepFrom / MinuteMs;
        if (stale > Interlocked.Read(ref _purgedBeforeMinute))
        {
            await c.ExecuteAsync("DELETE FROM mail_limit_minutes WHERE minute < @stale", new { stale }, tx);
            Interlocked.Exchange(ref _purgedBeforeMinute, stale);
        }
    }

    /// <summary>
    /// How many of the newest <paramref name="limit"/> authorizations with this key were created after
    /// <paramref name="since"/>, and the oldest of those: at the limit, a slot frees when that one leaves the window.
    /// Reads at most <paramref name="limit"/> index entries, however many the window holds (issue 13).
    /// </summary>
    private static Task<(long Count, long? Oldest)> NewestSinceAsync(DbConnection c, DbTransaction tx, string column, string value, long since, int limit) =>
        c.QuerySingleAsync<(long, long?)>(
            $"SELECT COUNT(*), MIN(w.created_at) FROM (SELECT created_at FROM authorizations WHERE {column} = @value AND created_at > @since " +
            "ORDER BY created_at DESC LIMIT @limit) w", new { value, since, limit }, tx);

    /// <summary>An authorization's identifier and its account's key thumbprint (what a reply must prove), or null when either is gone.</summary>
    public async Task<(string Identifier, string KeyThumbprint)?> FindMailboxAndAccountKeyAsync(DbConnection c, string authorizationId) =>
        (await c.QueryAsync<(string, string)>(
            "SELECT a.identifier, acc.key_thumbprint FROM authorizations a JOIN accounts acc ON acc.id = a.account_id WHERE a.id = @authorizationId",
            new { authorizationId })).Cast<(string, string)?>().SingleOrDefault();

    public async Task<IReadOnlyList<ChallengeRow>> ChallengesOfAuthorizationAsync(DbConnection c, string authorizationId, DbTransaction? tx = null) =>
        (await c.QueryAsync<ChallengeRow>(
            $"SELECT {ChallengeColumns} FROM challenges h WHERE h.authorization_id = @authorizationId ORDER BY h.created_at, h.id",
            new { authorizationId }, tx)).AsList();

    public Task<ChallengeRow?> FindChallengeAsync(DbConnection c, string id, DbTransaction? tx = null) =>
        c.QuerySingleOrDefaultAsync<ChallengeRow>($"SELECT {ChallengeColumns} FROM challenges h WHERE h.id = @id", new { id }, tx);

    /// <summary>Orders of an account for the orders list (RFC 8555 §7.1.2.1), newest first, keyset-paged.</summary>
    public async Task<IReadOnlyList<(string Id, long CreatedAt)>> ListOrdersAsync(DbConnection c, string accountId, long beforeCreatedAt, string beforeId, int limit) =>
        (await c.QueryAsync<(string, long)>(
            "SELECT id, created_at FROM orders WHERE account_id = @accountId AND status <> 'invalid' " +
            "AND (created_at < @beforeCreatedAt OR (created_at = @beforeCreatedAt AND id < @beforeId)) " +
            "ORDER BY created_at DESC, id DESC LIMIT @limit",
            new { accountId, beforeCreatedAt, beforeId, limit })).AsList();

    /// <summary>The account's authorizations still pending at <paramref name="now"/> (the operator deactivates them with the account).</summary>
    public async Task<IReadOnlyList<string>> PendingAuthorizationIdsOfAccountAsync(DbConnection c, DbTransaction tx, string accountId, long now) =>
        (await c.QueryAsync<string>(
            "SELECT id FROM authorizations WHERE account_id = @accountId AND status = 'pending' AND expires > @now ORDER BY created_at",
            new { accountId, now }, tx)).AsList();

    public async Task InsertOrderAsync(DbConnection c, DbTransaction tx, OrderRow order, IReadOnlyList<string> authorizationIds)
    {
        await c.ExecuteAsync(
            "INSERT INTO orders (id, account_id, status, expires, not_before, not_after, profile, identifiers, identifier_types, error, certificate_id, " +
            "replaces, caa_checked_at, caa_valid_until, created_at) VALUES (@Id, @AccountId, @Status, @Expires, @NotBefore, @NotAfter, @Profile, " +
            "@Identifiers, @IdentifierTypes, NULL, NULL, @Replaces, @CaaCheckedAt, @CaaValidUntil, @CreatedAt)", StatusParameters.Of(order, order.Status), tx);
        changes.Note(tx, new StatusChange("order", StatusChange.Created, Protocol.StatusText.Of(order.Status)));
        for (var i = 0; i < authorizationIds.Count; i++)
        {
            await c.ExecuteAsync(
                "INSERT INTO order_authorizations (order_id, authorization_id, position) VALUES (@orderId, @authorizationId, @position)",
                new { orderId = order.Id, authorizationId = authorizationIds[i], position = i }, tx);
        }
    }

    public async Task InsertAuthorizationAsync(DbConnection c, DbTransaction tx, AuthorizationRow authorization, ChallengeRow challenge)
    {
        await c.ExecuteAsync(
            "INSERT INTO authorizations (id, account_id, identifier, identifier_type, status, expires, validated_at, created_at, recipient_key, recipient_domain) " +
            "VALUES (@Id, @AccountId, @Identifier, @IdentifierType, @Status, @Expires, NULL, @CreatedAt, @RecipientKey, @RecipientDomain)",
            StatusParameters.Of(authorization, authorization.Status), tx);
        await c.ExecuteAsync(
            "INSERT INTO challenges (id, authorization_id, type, status, token_part2, from_address, created_at) " +
            "VALUES (@Id, @AuthorizationId, @Type, @Status, @TokenPart2, @FromAddress, @CreatedAt)", StatusParameters.Of(challenge, challenge.Status), tx);
        changes.Note(tx, new StatusChange("authorization", StatusChange.Created, Protocol.StatusText.Of(authorization.Status)));
        changes.Note(tx, new StatusChange("challenge", StatusChange.Created, Protocol.StatusText.Of(challenge.Status)));
    }

    /// <summary>
    /// Stores token-part1 if the challenge has none yet (RFC 8823 §3 step 4: created once, after the
    /// first authorization response). True when this call created it.
    /// </summary>
    public async Task<bool> SetTokenPart1Async(DbConnection c, DbTransaction tx, string challengeId, string tokenPart1, long createdAt) =>
        await c.ExecuteAsync(
            "UPDATE challenges SET token_part1 = @tokenPart1, token_part1_created_at = @createdAt WHERE id = @challengeId AND token_part1 IS NULL",
            new { challengeId, tokenPart1, createdAt }, tx) == 1;

    /// <summary>Orders in processing since before <paramref name="before"/>: left behind by a crash or a stalled attempt.</summary>
    public async Task<IReadOnlyList<(OrderRow Order, byte[]? Csr)>> StuckProcessingAsync(DbConnection c, long before, int limit) =>
        (await c.QueryAsync<OrderRow, byte[]?, (OrderRow, byte[]?)>(
            $"SELECT {OrderColumns}, o.processing_since AS ProcessingSince, o.csr AS Csr FROM orders o " +
            "WHERE o.status = 'processing' AND o.processing_since < @before ORDER BY o.processing_since LIMIT @limit",
            (order, csr) => (order, csr), new { before, limit }, splitOn: "Csr")).AsList();

    /// <summary>Takes over a stuck processing order: compare-and-set on its processing time, so one recoverer works on it.</summary>
    public async Task<bool> TakeOverProcessingAsync(DbConnection c, DbTransaction tx, string orderId, long? since, long now) =>
        await c.ExecuteAsync(
            "UPDATE orders SET processing_since = @now WHERE id = @orderId AND status = 'processing' AND (processing_since = @since OR (processing_since IS NULL AND @since IS NULL))",
            new { orderId, since, now }, tx) == 1;
}
