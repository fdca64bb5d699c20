import { randomBytes, randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { canonicalCertificateCode, CERTIFICATE_CODE_LENGTH, formatCertificateCode } from '../domain/certificate-code.js';
import { formatCouponNumber, makeCouponNumber } from '../domain/input/registration.js';
import { DAY_MS, isInRenewalWindow } from '../domain/renewal-window.js';
import { issueDemoCertificate } from '../ca/issuer.js';
import { subscriberUrlsOf, type IssuingCa } from '../ca/issuing-ca.js';
import { signingDepsOf } from './ca-signing.js';
import { appendAudit } from '../store/audit-store.js';
import { findCertificateByCodeHash, insertCertificate, revokeCertificate } from '../store/certificate-store.js';
import { insertCoupons, listUnbatchedCouponNumbers } from '../store/coupon-store.js';
import { insertSubscriber } from '../store/subscriber-store.js';
import type { CoreDeps, RaDeps } from './deps.js';
import { hashCertificateCode } from './find-renewable-certificates.js';

export interface DemoSubscriber {
  email: string;
  password: string;
  certificateCode: string;
  notAfter: string;
  renewable: boolean;
  situation: string;
  name: string;
}

export interface DemoData {
  subscribers: DemoSubscriber[];
  coupons: string[];
}

/** The five situations issue #2 asks the demo to show, by expiry relative to today. */
const situations = [
  { key: 'renewable-expiring', expiresInDays: 20, isRevoked: false },
  { key: 'renewable-expired', expiresInDays: -100, isRevoked: false },
  { key: 'too-late', expiresInDays: -400, isRevoked: false },
  { key: 'too-early', expiresInDays: 200, isRevoked: false },
  { key: 'revoked', expiresInDays: 20, isRevoked: true },
] as const;

const people = [
  { lastNameJa: '山田', firstNameJa: '太郎', lastNameKana: 'ヤマダ', firstNameKana: 'タロウ', lastNameEn: 'Yamada', firstNameEn: 'Taro' },
  { lastNameJa: '髙橋', firstNameJa: '花子', lastNameKana: 'タカハシ', firstNameKana: 'ハナコ', lastNameEn: 'Takahashi', firstNameEn: 'Hanako' },
  { lastNameJa: '山﨑', firstNameJa: '次郎', lastNameKana: 'ヤマサキ', firstNameKana: 'ジロウ', lastNameEn: 'Yamasaki', firstNameEn: 'Jiro' },
  { lastNameJa: '鈴木', firstNameJa: '一郎', lastNameKana: 'スズキ', firstNameKana: 'イチロウ', lastNameEn: 'Suzuki', firstNameEn: 'Ichiro' },
  { lastNameJa: '田中', firstNameJa: '美咲', lastNameKana: 'タナカ', firstNameKana: 'ミサキ', lastNameEn: 'Tanaka', firstNameEn: 'Misaki' },
] as const;

/**
 * A made-up company whose details are none of the form's hint examples (issue #9: a demo
 * form must not look like placeholder text).
 */
const organisation = {
  orgNameJa: '株式会社みなと精機',
  orgNameKana: 'カブシキガイシャミナトセイキ',
  orgNameEn: 'Minato Seiki Co., Ltd.',
  hqAddress: '神奈川県横浜市西区みなとみらい三丁目6番1号',
  hqPhone: '0452247700',
  representativeLastName: '大川',
  representativeFirstName: '誠一',
};

export const DEMO_COUPON_PARTNER = 'demo';
const MIN_DEMO_COUPONS = 10;

function demoFile(dataDir: string): string {
  return path.join(dataDir, 'demo.json');
}

function demoPassword(): string {
  // Easy to read aloud, and meets the application-password rules (letters + digits).
  return `demo-${randomBytes(4).toString('hex')}-${randomInt(10, 100)}`;
}

/**
 * Create (once) and return the demo data of issue #2: five subscribers with real
 * certificates from the embedded CA, and at least ten available coupons. Credentials
 * live in DATA_DIR/demo.json (0600), since the database keeps only hashes.
 */
export async function loadDemoData(deps: CoreDeps & Pick<RaDeps, 'passwords'> & { ca: IssuingCa; dataDir: string }): Promise<DemoData> {
  const now = deps.clock.now();
  const file = demoFile(deps.dataDir);
  let subscribers = await readExistingDemo(deps, file);
  if (subscribers === undefined) {
    subscribers = [];
    for (const [i, situation] of situations.entries()) {
      const person = people[i]!;
      const email = `demo${i + 1}@example.jp`;
      const password = demoPassword();
      const certificateCode = formatCertificateCode(randomBytes(CERTIFICATE_CODE_LENGTH));
      const notAfter = new Date(Math.floor((now.getTime() + situation.expiresInDays * DAY_MS) / 1000) * 1000);
      const notBefore = new Date(notAfter.getTime() - 365 * DAY_MS);
      const registration: Record<string, string> = {
        ...organisation,
        ...person,
        email,
        titleJa: '課長',
        departmentJa: '総務部',
        titleRomaji: 'Section Manager, General Affairs Dept.',
        postalCode: '2200012',
        prefecture: '神奈川県',
        city: '横浜市西区',
        street: 'みなとみらい三丁目6番1号',
        building: 'みなとみらいセンタービル12階',
        phone: '0452247712',
        proxyMode: 'entered',
        proxyLastNameJa: '森',
        proxyFirstNameJa: 'さくら',
        proxyLastNameKana: 'モリ',
        proxyFirstNameKana: 'サクラ',
        proxyDepartment: '総務部',
        proxyPhone: '0452247713',
      };
      const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
      // Demo certificates are backdated by design: they show expired and expiring cases.
      const issued = await issueDemoCertificate(signingDepsOf(deps, 'demo'), {
          publicKey: keys.publicKey,
          subject: { givenName: person.firstNameEn, surname: person.lastNameEn, organizationName: organisation.orgNameEn },
          email,
          notBefore,
          notAfter,
          urls: subscriberUrlsOf(deps.ca.pkiBaseUrl),
        });
      if (!issued.ok) throw new Error(`demo certificate refused by the CA: ${issued.problems.map((p) => p.code).join(', ')}`);
      const passwordHash = await deps.passwords.hash(password);
      await deps.db.transaction(async (tx) => {
        const subscriberId = await insertSubscriber(tx, {
          organisation: { nameJa: organisation.orgNameJa, nameKana: organisation.orgNameKana, nameEn: organisation.orgNameEn },
          email,
          passwordHash,
          registration,
          vettedAt: notBefore,
          now,
        });
        const { serialNumber } = issued;
        const certificateId = await insertCertificate(tx, {
          subscriberId,
          applicationId: null,
          renewsCertificateId: null,
          serialNumber,
          subjectDn: issued.certificate.subject,
          email,
          notBefore,
          notAfter,
          certificateCodeHash: hashCertificateCode(canonicalCertificateCode(certificateCode)!),
          der: new Uint8Array(issued.der),
          createdAt: now,
        });
        if (situation.isRevoked) await revokeCertificate(tx, certificateId, now, 'keyCompromise');
        await appendAudit(tx, {
          at: now,
          actor: 'system:demo',
          action: 'certificate.demoIssued',
          subjectType: 'certificate',
          subjectId: certificateId,
          after: { serialNumber, notAfter: notAfter.toISOString(), revoked: situation.isRevoked },
        });
      });
      subscribers.push({
        email,
        password,
        certificateCode,
        notAfter: notAfter.toISOString(),
        renewable: isInRenewalWindow({ notAfter, isRevoked: situation.isRevoked, hasActiveRenewal: false }, now),
        situation: situation.key,
        name: `${person.lastNameJa} ${person.firstNameJa}`,
      });
    }
    fs.mkdirSync(deps.dataDir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, `${JSON.stringify({ subscribers }, null, 2)}\n`, { mode: 0o600 });
    deps.log.info({ event: 'demo.created', subscribers: subscribers.length }, 'demo subscribers created');
  }

  let coupons = await listUnbatchedCouponNumbers(deps.db, DEMO_COUPON_PARTNER, 'available', 1000);
  if (coupons.length < MIN_DEMO_COUPONS) {
    const fresh = Array.from({ length: MIN_DEMO_COUPONS - coupons.length }, () =>
      makeCouponNumber(Array.from({ length: 15 }, () => randomInt(0, 10)).join('')),
    );
    await insertCoupons(deps.db, fresh, DEMO_COUPON_PARTNER, now, 'system:demo');
    coupons = await listUnbatchedCouponNumbers(deps.db, DEMO_COUPON_PARTNER, 'available', 1000);
  }
  return {
    subscribers: subscribers.map((s) => ({
      ...s,
      renewable: isInRenewalWindow({ notAfter: new Date(s.notAfter), isRevoked: s.situation === 'revoked', hasActiveRenewal: false }, now),
    })),
    coupons: coupons.map(formatCouponNumber),
  };
}

/** The demo subscribers from demo.json, if the database still has them. */
async function readExistingDemo(deps: CoreDeps, file: string): Promise<DemoSubscriber[] | undefined> {
  if (!fs.existsSync(file)) return undefined;
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { subscribers?: DemoSubscriber[] };
  const first = parsed.subscribers?.[0];
  if (first === undefined) return undefined;
  const code = canonicalCertificateCode(first.certificateCode);
  if (code === undefined) return undefined;
  const found = await findCertificateByCodeHash(deps.db, hashCertificateCode(code));
  return found === undefined ? undefined : parsed.subscribers;
}
