/**
 * The request types of the demo shop, each a function that writes one trace into a builder: browse
 * the catalogue, open a product, search, log in, add to cart, view the cart (checkout, the deepest,
 * is in checkout.ts). Failures are drawn per step (a database or cache timeout here; a
 * declined card, a payment provider timeout or an item out of stock in checkout), so a few percent of
 * traces carry an error, as a real shop's would.
 */
import type { Micros, Span } from '../model/index.js';
import {
  grpcCall,
  httpCall,
  internalStep,
  redisCommand,
  sequence,
  sqlQuery,
  type Failure,
  type Outcome,
  type SqlSpec,
  type Step,
  type Work,
} from './calls.js';
import { attr, type DemoTraceBuilder, type ExceptionSpec } from './demo-trace-builder.js';

export interface ScenarioResult {
  /** The Kafka publish of a placed order; the shipping consumer's trace links to it. */
  producer: Span | null;
}

export type Scenario = (b: DemoTraceBuilder, startUs: Micros) => ScenarioResult;

const CATEGORIES = ['shoes', 'jackets', 'backpacks', 'tents', 'lamps', 'stoves'];
const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  'ShopApp/5.2.0 (Android 15; Pixel 8)',
];

const DB_UNAVAILABLE: Failure = { httpStatus: 503, grpcCode: 14, message: 'UNAVAILABLE: catalog database unavailable' };
const JDBC_TIMEOUT: ExceptionSpec = {
  type: 'org.postgresql.util.PSQLException',
  message: 'The connection attempt failed: connect timed out to postgres-primary.data.svc:5432',
  frame: 'org.postgresql.core.v3.ConnectionFactoryImpl.openConnectionImpl(ConnectionFactoryImpl.java:354)',
};

const REDIS_DOWN = {
  exception: {
    type: 'StackExchange.Redis.RedisTimeoutException',
    message: 'Timeout performing HSET (5000ms), inst: 0, qu: 12, qs: 3, in: 0, serverEndpoint: redis-cache.data.svc:6379',
    frame: 'CartService.Store.RedisCartStore.AddItemAsync(String userId, String productId, Int32 quantity) in /app/Store/RedisCartStore.cs:line 88',
  },
  failure: { httpStatus: 503, grpcCode: 14, message: 'cart store unavailable: redis timeout' },
};

const sku = (b: DemoTraceBuilder): string => `SKU-${b.random.int(10_000, 10_999)}`;

/** The browser-facing request: web-frontend's SERVER span, its call to the gateway, page rendering. */
export function frontend(
  b: DemoTraceBuilder,
  startUs: Micros,
  page: { method: string; route: string; path: string },
  api: { method: string; route: string; path: string },
  gatewayWork: Work,
): Outcome {
  const root = b.open(null, startUs, {
    service: 'web-frontend',
    name: `${page.method} ${page.route}`,
    kind: 'SERVER',
    instrumentation: 'http',
    attributes: [
      attr.str('http.request.method', page.method),
      attr.str('http.route', page.route),
      attr.str('url.path', page.path.split('?')[0]!),
      attr.str('url.scheme', 'https'),
      attr.str('user_agent.original', b.random.pick(USER_AGENTS)),
      attr.str('client.address', `203.0.113.${b.random.int(1, 254)}`),
    ],
  });
  const call = httpCall(b, root, startUs + b.random.latencyUs(200, 1_500), 'api-gateway', api, gatewayWork);
  let endUs = call.endUs;
  if (!call.failure && page.method === 'GET') {
    endUs = internalStep(b, root, endUs + b.random.latencyUs(30, 200), 'render page', b.random.latencyUs(800, 14_000), [
      attr.str('app.template', page.route === '/' ? 'home' : page.route.slice(1).replace(/[/:]+/g, '-')),
    ]).endUs;
  }
  b.close(root, endUs + b.random.latencyUs(50, 600));
  root.attributes.push(attr.int('http.response.status_code', call.failure?.httpStatus ?? call.httpStatus ?? 200));
  if (call.failure) b.fail(root, call.failure.message, endUs);
  return call;
}

/** The gateway checks the session with auth-service before any call on behalf of a user. */
export function authenticated(b: DemoTraceBuilder, gateway: Span, startUs: Micros, next: Step): Outcome {
  const session = b.random.hex(12);
  gateway.attributes.push(attr.str('enduser.id', `u-${b.random.int(1_000, 9_999)}`));
  return sequence(b, startUs, [
    (t) =>
      grpcCall(b, gateway, t, 'auth-service', 'auth.AuthService', 'ValidateToken', (auth, t2) =>
        redisCommand(b, auth, t2, 'GET', `session:${session}`),
      ),
    next,
  ]);
}

/** Read-through cache: Redis first; on a miss, the database (which may time out), then fill the cache. */
export function cachedRead(b: DemoTraceBuilder, span: Span, startUs: Micros, key: string, sql: SqlSpec): Outcome {
  const get = redisCommand(b, span, startUs, 'GET', key);
  if (b.random.chance(0.7)) {
    span.attributes.push(attr.bool('app.cache.hit', true));
    return get;
  }
  span.attributes.push(attr.bool('app.cache.hit', false));
  b.event(span, 'cache.miss', get.endUs, [attr.str('cache.key', key)]);
  const failure = b.random.chance(0.08) ? { exception: JDBC_TIMEOUT, failure: DB_UNAVAILABLE } : undefined;
  const query = sqlQuery(
    b,
    span,
    get.endUs + b.random.latencyUs(20, 200),
    failure ? { ...sql, durationUs: 1_000_000 + b.random.latencyUs(0, 50_000), failure } : sql,
  );
  if (query.failure) return query;
  return redisCommand(b, span, query.endUs + b.random.latencyUs(20, 200), 'SETEX', `${key} 300`);
}

function productRead(b: DemoTraceBuilder, catalog: Span, startUs: Micros, id: string): Outcome {
  catalog.attributes.push(attr.str('app.product.id', id));
  return cachedRead(b, catalog, startUs, `product:${id}`, {
    dbName: 'catalog',
    operation: 'SELECT',
    table: 'products',
    statement: 'SELECT id, name, description, price_cents, currency FROM products WHERE id = $1',
    durationUs: b.random.latencyUs(900, 9_000),
  });
}

function stockLevels(b: DemoTraceBuilder, gateway: Span, startUs: Micros, skus: readonly string[]): Outcome {
  return grpcCall(b, gateway, startUs, 'inventory-service', 'inventory.InventoryService', 'GetStockLevels', (inventory, t) =>
    redisCommand(b, inventory, t, 'MGET', skus.map((s) => `stock:${s}`).join(' ')),
  );
}

const browse: Scenario = (b, startUs) => {
  const category = b.random.pick(CATEGORIES);
  const page = b.random.int(1, 5);
  const query = `?category=${category}&page=${page}`;
  frontend(
    b,
    startUs,
    { method: 'GET', route: '/products', path: `/products${query}` },
    { method: 'GET', route: '/api/products', path: `/api/products${query}` },
    (gateway, t) =>
      sequence(b, t, [
        (t1) =>
          grpcCall(b, gateway, t1, 'catalog-service', 'catalog.CatalogService', 'ListProducts', (catalog, t2) => {
            catalog.attributes.push(attr.str('app.category', category), attr.int('app.page', page));
            return cachedRead(b, catalog, t2, `products:${category}:page:${page}`, {
              dbName: 'catalog',
              operation: 'SELECT',
              table: 'products',
              statement: 'SELECT id, name, price_cents FROM products WHERE category = $1 ORDER BY rank LIMIT 24 OFFSET $2',
              durationUs: b.random.latencyUs(2_000, 40_000),
            });
          }),
        (t1) => stockLevels(b, gateway, t1, [sku(b), sku(b), sku(b)]),
      ]),
  );
  return { producer: null };
};

const productDetail: Scenario = (b, startUs) => {
  const id = sku(b);
  frontend(
    b,
    startUs,
    { method: 'GET', route: '/products/:id', path: `/products/${id}` },
    { method: 'GET', route: '/api/products/{id}', path: `/api/products/${id}` },
    (gateway, t) =>
      sequence(b, t, [
        (t1) => grpcCall(b, gateway, t1, 'catalog-service', 'catalog.CatalogService', 'GetProduct', (catalog, t2) => productRead(b, catalog, t2, id)),
        (t1) => stockLevels(b, gateway, t1, [id]),
      ]),
  );
  return { producer: null };
};

const search: Scenario = (b, startUs) => {
  const term = b.random.pick(['waterproof', 'ultralight', 'down', 'gore-tex', 'trail', 'camping stove', 'headlamp']);
  const encoded = encodeURIComponent(term);
  // A few searches hit the unindexed path: the slow outliers of the dataset.
  const isSlow = b.random.chance(0.05);
  frontend(
    b,
    startUs,
    { method: 'GET', route: '/search', path: `/search?q=${encoded}` },
    { method: 'GET', route: '/api/search', path: `/api/search?q=${encoded}` },
    (gateway, t) =>
      grpcCall(b, gateway, t, 'catalog-service', 'catalog.CatalogService', 'SearchProducts', (catalog, t2) => {
        catalog.attributes.push(attr.str('app.search.term', term));
        const result = sqlQuery(b, catalog, t2, {
          dbName: 'catalog',
          operation: 'SELECT',
          table: 'products',
          statement:
            "SELECT id, name, ts_rank(search, q) AS rank FROM products, plainto_tsquery('english', $1) q WHERE search @@ q ORDER BY rank DESC LIMIT 50",
          durationUs: isSlow ? b.random.latencyUs(1_200_000, 4_500_000) : b.random.latencyUs(3_000, 60_000),
        });
        catalog.attributes.push(attr.int('app.search.results', b.random.int(0, 50)));
        return result;
      }),
  );
  return { producer: null };
};

const login: Scenario = (b, startUs) => {
  const isWrongPassword = b.random.chance(0.08);
  frontend(
    b,
    startUs,
    { method: 'POST', route: '/login', path: '/login' },
    { method: 'POST', route: '/api/auth/login', path: '/api/auth/login' },
    (gateway, t) =>
      httpCall(b, gateway, t, 'auth-service', { method: 'POST', route: '/v1/sessions', path: '/v1/sessions' }, (auth, t2) => {
        const steps: Step[] = [
          (t3) =>
            sqlQuery(b, auth, t3, {
              dbName: 'auth',
              operation: 'SELECT',
              table: 'users',
              statement: 'SELECT id, password_hash, locked FROM users WHERE email = $1',
              durationUs: b.random.latencyUs(700, 6_000),
            }),
          (t3) => internalStep(b, auth, t3, 'bcrypt.compare', b.random.latencyUs(45_000, 110_000), [attr.int('app.bcrypt.cost', 12)]),
        ];
        if (isWrongPassword) {
          // A wrong password is an answer, not a fault: 401 with status left UNSET, as OTel specifies for 4xx on servers.
          const checked = sequence(b, t2, steps);
          b.event(auth, 'login.rejected', checked.endUs, [attr.str('app.login.reason', 'invalid_credentials')]);
          return { ...checked, httpStatus: 401 };
        }
        return { ...sequence(b, t2, [...steps, (t3) => redisCommand(b, auth, t3, 'SETEX', `session:${b.random.hex(12)} 86400`)]), httpStatus: 201 };
      }),
  );
  return { producer: null };
};

const addToCart: Scenario = (b, startUs) => {
  const id = sku(b);
  frontend(
    b,
    startUs,
    { method: 'POST', route: '/cart', path: '/cart' },
    { method: 'POST', route: '/api/cart/items', path: '/api/cart/items' },
    (gateway, t) =>
      authenticated(b, gateway, t, (t1) =>
        httpCall(b, gateway, t1, 'cart-service', { method: 'POST', route: '/v1/cart/items', path: '/v1/cart/items' }, (cart, t2) => {
          cart.attributes.push(attr.str('app.product.id', id), attr.int('app.cart.quantity', b.random.int(1, 3)));
          const outcome = sequence(b, t2, [
            (t3) =>
              grpcCall(b, cart, t3, 'catalog-service', 'catalog.CatalogService', 'GetProduct', (catalog, t4) => productRead(b, catalog, t4, id)),
            (t3) =>
              grpcCall(b, cart, t3, 'inventory-service', 'inventory.InventoryService', 'CheckAvailability', (inventory, t4) =>
                sqlQuery(b, inventory, t4, {
                  dbName: 'inventory',
                  operation: 'SELECT',
                  table: 'stock',
                  statement: 'SELECT available FROM stock WHERE sku = $1',
                  durationUs: b.random.latencyUs(600, 5_000),
                }),
              ),
            (t3) => redisCommand(b, cart, t3, 'HSET', `cart:${b.random.hex(8)} ${id}`, b.random.chance(0.06) ? REDIS_DOWN : undefined),
          ]);
          return outcome.failure ? outcome : { ...outcome, httpStatus: 201 };
        }),
      ),
  );
  return { producer: null };
};

const viewCart: Scenario = (b, startUs) => {
  const items = b.random.int(1, 4);
  frontend(b, startUs, { method: 'GET', route: '/cart', path: '/cart' }, { method: 'GET', route: '/api/cart', path: '/api/cart' }, (gateway, t) =>
    authenticated(b, gateway, t, (t1) =>
      httpCall(b, gateway, t1, 'cart-service', { method: 'GET', route: '/v1/cart', path: '/v1/cart' }, (cart, t2) => {
        cart.attributes.push(attr.int('app.cart.items_count', items));
        return sequence(b, t2, [
          (t3) => redisCommand(b, cart, t3, 'HGETALL', `cart:${b.random.hex(8)}`),
          (t3) =>
            grpcCall(b, cart, t3, 'catalog-service', 'catalog.CatalogService', 'GetProducts', (catalog, t4) =>
              redisCommand(b, catalog, t4, 'MGET', Array.from({ length: items }, () => `product:${sku(b)}`).join(' ')),
            ),
        ]);
      }),
    ),
  );
  return { producer: null };
};

/** Request types by weight; checkout (checkout.ts) joins them in generate-demo-spans.ts. */
export const BROWSING_SCENARIOS: ReadonlyArray<readonly [Scenario, number]> = [
  [browse, 26],
  [productDetail, 14],
  [search, 12],
  [login, 9],
  [addToCart, 14],
  [viewCart, 8],
];
