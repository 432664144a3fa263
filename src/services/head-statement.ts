// A signed head: "the log of this tenant held `size` events, whose Merkle tree has root `root`, at
// `at`", signed with Ed25519 (RFC 8032; signatures are deterministic, so one statement gives one
// signature). What is signed is the statement's canonical JSON: keys in byte order, no spaces.
// Version 1 (before the Merkle tree) signed the hash of event `size` as its root; such statements
// are still read and checked against the chain.
import { type KeyObject, sign, verify } from "node:crypto";
import type { SigningKey } from "./signing-key.ts";

export interface HeadStatement {
  /** 2: `root` is the RFC 6962 root of the tree of events 1 to `size`; 1: the hash of event `size`. */
  readonly v: 1 | 2;
  readonly tenant: string;
  /** The seq of the head event: the log's length. */
  readonly size: number;
  readonly root: string;
  /** An ISO instant. */
  readonly at: string;
}

export interface SignedHead {
  readonly statement: HeadStatement;
  /** The signing key's id (signing-key.ts). */
  readonly keyId: string;
  /** Ed25519 over canonicalStatement(statement), base64. */
  readonly sig: string;
}

export function canonicalStatement(s: HeadStatement): string {
  return JSON.stringify({ at: s.at, root: s.root, size: s.size, tenant: s.tenant, v: s.v });
}

export function signHead(key: SigningKey, statement: HeadStatement): SignedHead {
  const sig = sign(null, Buffer.from(canonicalStatement(statement)), key.privateKey).toString("base64");
  return { statement, keyId: key.keyId, sig };
}

/** Whether the signature is the statement's under `publicKey`. */
export function signatureHolds(signed: SignedHead, publicKey: KeyObject): boolean {
  const sig = Buffer.from(signed.sig, "base64");
  return sig.length === 64 && verify(null, Buffer.from(canonicalStatement(signed.statement)), publicKey, sig);
}

const HASH = /^[0-9a-f]{64}$/;
const KEY_ID = /^[0-9a-f]{16}$/;

/** A signed head read from JSON, or what is wrong with it. */
export function parseSignedHead(value: unknown): SignedHead | { readonly error: string } {
  const o = value as { statement?: unknown; keyId?: unknown; sig?: unknown } | null;
  if (o === null || typeof o !== "object") return { error: "not a JSON object" };
  if (typeof o.keyId !== "string" || !KEY_ID.test(o.keyId)) return { error: "no keyId (16 hex digits)" };
  if (typeof o.sig !== "string" || o.sig === "") return { error: "no sig" };
  const s = o.statement as Partial<Record<keyof HeadStatement, unknown>> | null;
  if (s === null || typeof s !== "object") return { error: "no statement" };
  if (s.v !== 1 && s.v !== 2) return { error: `statement version ${JSON.stringify(s.v)}: expected 1 or 2` };
  if (typeof s.tenant !== "string") return { error: "statement without a tenant" };
  if (typeof s.size !== "number" || !Number.isSafeInteger(s.size) || s.size < 1) {
    return { error: "statement without a size (a seq from 1)" };
  }
  if (typeof s.root !== "string" || !HASH.test(s.root)) return { error: "statement without a root hash" };
  if (typeof s.at !== "string" || Number.isNaN(Date.parse(s.at)))
    return { error: "statement without an instant" };
  return {
    statement: { v: s.v, tenant: s.tenant, size: s.size, root: s.root, at: s.at },
    keyId: o.keyId,
    sig: o.sig,
  };
}
