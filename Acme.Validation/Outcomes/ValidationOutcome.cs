using System.Diagnostics.CodeAnalysis;

namespace Acme.Validation.Outcomes;

/// <summary>
/// The result of a check that can fail for expected reasons: either a value or a
/// <see cref="ValidationFailure"/>. Exceptions are reserved for bugs and broken configuration.
/// </summary>
/// <typeparam name="T">The type of the successful result.</typeparam>
public readonly struct ValidationOutcome<T>
{
    private ValidationOutcome(T? value, ValidationFailure? failure)
    {
        Value = value;
        Failure = failure;
    }

    /// <summary>The value on success; default on failure.</summary>
    public T? Value { get; }

    /// <summary>The failure, or null on success.</summary>
    public ValidationFailure? Failure { get; }

    /// <summary>True when the check passed.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool IsSuccess => Failure is null;

    /// <summary>A successful outcome carrying <paramref name="value"/>.</summary>
    public static ValidationOutcome<T> Success(T value) => new(value, null);

    /// <summary>A failed outcome.</summary>
    public static ValidationOutcome<T> Fail(ValidationFailure failure) =>
        new(default, failure ?? throw new ArgumentNullException(nameof(failure)));

    /// <summary>A failed outcome built from a kind and a detail.</summary>
    public static ValidationOutcome<T> Fail(FailureKind kind, string detail) => Fail(new ValidationFailure(kind, detail));

    /// <summary>Implicit conversion from a failure.</summary>
    public static implicit operator ValidationOutcome<T>(ValidationFailure failure) => Fail(failure);
}
