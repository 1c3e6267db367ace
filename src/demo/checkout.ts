/**
 * The checkout request, the deepest trace of the demo (eight levels: page → gateway → checkout →
 * payment → the payment provider), and the shipping consumer that picks the order up from Kafka in a
 * trace of its own, linked to the publish. Checkout is where most demo errors come from: a declined
 * card (HTTP 402), a payment provider that times out twice (504, with a retry event), an item out of
 * stock (409).
 */
import type { Micros, Span } from '../model/index.js';
import { grpcCall, httpCall, internalStep, kafkaPublish, redisCommand, sequence, sqlQuery, type Outcome } from './calls.js';
import { authenticated, frontend, type Scenario } from './scenarios.js';
import { attr, type DemoTraceBuilder } from './demo-trace-builder.js';

type CheckoutFate = 'placed' | 'declined' | 'provider-timeout' | 'out-of-stock';

/** A call to the payment provider, which runs no tracing of its own: a CLIENT span with no server half. */
function providerCall(
  b: DemoTraceBuilder,
  payment: Span,
  startUs: Micros,
  durationUs: number,
  answer: { status: number } | { timeoutMs: number },
): Outcome {
  const span = b.open(payment, startUs, {
    service: 'payment-service',
    name: 'POST',
    kind: 'CLIENT',
    instrumentation: 'http',
    attributes: [
      attr.str('http.request.method', 'POST'),
      attr.str('url.full', 'https://api.stripe.example/v1/charges'),
      attr.str('server.address', 'api.stripe.example'),
      attr.int('server.port', 443),
      attr.str('peer.service', 'stripe'),
    ],
  });
  const endUs = b.close(span, startUs + durationUs);
  if ('timeoutMs' in answer) {
    span.attributes.push(attr.str('error.type', 'timeout'));
    b.fail(span, `request timed out after ${answer.timeoutMs}ms`, endUs);
  } else {
    span.attributes.push(attr.int('http.response.status_code', answer.status));
    if (answer.status >= 400) b.fail(span, 'card_declined: insufficient_funds', endUs);
  }
  return { endUs, failure: null };
}

function charge(b: DemoTraceBuilder, payment: Span, startUs: Micros, fate: CheckoutFate, amount: number): Outcome {
  payment.attributes.push(
    attr.double('app.payment.amount', amount),
    attr.str('app.payment.currency', 'EUR'),
    attr.str('app.payment.card_brand', b.random.pick(['visa', 'mastercard', 'amex'])),
  );
  const fraud = internalStep(b, payment, startUs, 'fraud check', b.random.latencyUs(2_000, 15_000));
  b.event(payment, 'fraud.check.completed', fraud.endUs, [attr.double('app.fraud.score', Math.round(b.random.next() * 300) / 1000)]);
  let cursor = fraud.endUs + b.random.latencyUs(50, 400);

  if (fate === 'provider-timeout') {
    for (let attempt = 1; attempt <= 2; attempt++) {
      cursor = providerCall(b, payment, cursor, 2_000_000 + b.random.latencyUs(100, 3_000), { timeoutMs: 2_000 }).endUs;
      if (attempt === 1) {
        b.event(payment, 'retry', cursor, [attr.int('retry.attempt', 2), attr.int('retry.delay_ms', 250)]);
        cursor += 250_000;
      }
    }
    b.fail(payment, 'DEADLINE_EXCEEDED: payment provider timed out after 2 attempts', cursor, {
      type: 'TimeoutError',
      message: 'Request to api.stripe.example timed out after 2000ms',
      frame: 'ClientRequest.<anonymous> (/app/node_modules/stripe/cjs/net/NodeHttpClient.js:89:21)',
    });
    return { endUs: cursor, failure: { httpStatus: 504, grpcCode: 4, message: 'DEADLINE_EXCEEDED: payment provider timed out after 2 attempts' } };
  }

  if (fate === 'declined') {
    cursor = providerCall(b, payment, cursor, b.random.latencyUs(150_000, 700_000), { status: 402 }).endUs;
    b.fail(payment, 'payment declined: insufficient_funds', cursor, {
      type: 'PaymentDeclinedError',
      message: 'Your card has insufficient funds.',
      frame: 'ChargeService.create (/app/src/charges.js:57:13)',
    });
    return { endUs: cursor, failure: { httpStatus: 402, grpcCode: 9, message: 'payment declined: insufficient_funds' } };
  }

  cursor = providerCall(b, payment, cursor, b.random.latencyUs(150_000, 900_000), { status: 200 }).endUs;
  const insert = sqlQuery(b, payment, cursor + b.random.latencyUs(50, 300), {
    dbName: 'payments',
    operation: 'INSERT',
    table: 'charges',
    statement: 'INSERT INTO charges (id, order_id, amount_cents, currency, provider_ref) VALUES ($1, $2, $3, $4, $5)',
    durationUs: b.random.latencyUs(800, 7_000),
  });
  // The payment service sets OK explicitly, as instrumentations may (most leave UNSET).
  payment.status = { code: 'OK', message: null };
  return { ...insert, httpStatus: 201 };
}

function reserve(b: DemoTraceBuilder, inventory: Span, startUs: Micros, fate: CheckoutFate, items: number): Outcome {
  const update = sqlQuery(b, inventory, startUs, {
    dbName: 'inventory',
    operation: 'UPDATE',
    table: 'stock',
    statement: 'UPDATE stock SET reserved = reserved + $2 WHERE sku = $1 AND available - reserved >= $2',
    durationUs: b.random.latencyUs(900, 12_000) * items,
  });
  if (fate !== 'out-of-stock') return update;
  const id = `SKU-${b.random.int(10_000, 10_999)}`;
  const message = `FAILED_PRECONDITION: insufficient stock for ${id}`;
  b.fail(inventory, message, update.endUs, {
    type: 'com.shop.inventory.InsufficientStockException',
    message: `insufficient stock for ${id}: requested 2, available 0`,
    frame: 'com.shop.inventory.ReservationService.reserve(ReservationService.java:118)',
  });
  return { endUs: update.endUs, failure: { httpStatus: 409, grpcCode: 9, message } };
}

function sendConfirmation(b: DemoTraceBuilder, email: Span, startUs: Micros): Outcome {
  const rendered = internalStep(b, email, startUs, 'render order-confirmation', b.random.latencyUs(2_000, 20_000), [
    attr.str('app.template', 'order-confirmation'),
  ]);
  const smtp = (t: Micros): Outcome => {
    const span = b.open(email, t, {
      service: 'email-service',
      name: 'smtp send',
      kind: 'CLIENT',
      instrumentation: 'manual',
      attributes: [
        attr.str('network.protocol.name', 'smtp'),
        attr.str('server.address', 'smtp.sendgrid.example'),
        attr.int('server.port', 587),
        attr.str('peer.service', 'sendgrid'),
      ],
    });
    return { endUs: b.close(span, t + b.random.latencyUs(40_000, 400_000)), failure: null };
  };
  let sent = smtp(rendered.endUs + b.random.latencyUs(50, 500));
  if (b.random.chance(0.06)) {
    // The relay answered 421 (try again later); the client retries once and succeeds.
    b.event(email, 'retry', sent.endUs, [attr.int('retry.attempt', 2), attr.str('smtp.reply', '421 4.7.0 Try again later')]);
    sent = smtp(sent.endUs + 100_000);
  }
  return sent;
}

export const checkout: Scenario = (b, startUs) => {
  const fate = b.random.weighted<CheckoutFate>([
    ['placed', 68],
    ['declined', 14],
    ['provider-timeout', 6],
    ['out-of-stock', 12],
  ]);
  const items = b.random.int(1, 5);
  const orderId = `ord-${b.random.hex(10)}`;
  const amount = b.random.int(1_500, 45_000) / 100;
  let producer: Span | null = null;

  frontend(
    b,
    startUs,
    { method: 'POST', route: '/checkout', path: '/checkout' },
    { method: 'POST', route: '/api/checkout', path: '/api/checkout' },
    (gateway, t) =>
      authenticated(b, gateway, t, (t1) =>
        grpcCall(b, gateway, t1, 'checkout-service', 'checkout.CheckoutService', 'PlaceOrder', (order, t2) => {
          order.attributes.push(attr.str('app.order.id', orderId), attr.int('app.order.items', items), attr.double('app.order.amount', amount));
          return sequence(b, t2, [
            (t) =>
              grpcCall(b, order, t, 'cart-service', 'cart.CartService', 'GetCart', (cart, t4) =>
                redisCommand(b, cart, t4, 'HGETALL', `cart:${b.random.hex(8)}`),
              ),
            (t) => {
              const reserved = grpcCall(b, order, t, 'inventory-service', 'inventory.InventoryService', 'ReserveItems', (inventory, t4) =>
                reserve(b, inventory, t4, fate, items),
              );
              if (!reserved.failure) b.event(order, 'inventory.reserved', reserved.endUs, [attr.int('app.order.items', items)]);
              return reserved;
            },
            (t) =>
              grpcCall(b, order, t, 'shipping-service', 'shipping.ShippingService', 'GetQuote', (shipping, t4) =>
                internalStep(b, shipping, t4, 'calculate rates', b.random.latencyUs(300, 4_000)),
              ),
            (t) =>
              httpCall(b, order, t, 'payment-service', { method: 'POST', route: '/v1/charges', path: '/v1/charges' }, (payment, t4) =>
                charge(b, payment, t4, fate, amount),
              ),
            (t) =>
              sqlQuery(b, order, t, {
                dbName: 'orders',
                operation: 'INSERT',
                table: 'orders',
                statement: 'INSERT INTO orders (id, user_id, total_cents, currency, status) VALUES ($1, $2, $3, $4, $5)',
                durationUs: b.random.latencyUs(900, 8_000),
              }),
            (t) => {
              const published = kafkaPublish(b, order, t, 'orders', orderId);
              producer = published.span;
              return published.outcome;
            },
            (t) =>
              httpCall(
                b,
                order,
                t,
                'email-service',
                { method: 'POST', route: '/send_order_confirmation', path: '/send_order_confirmation' },
                (email, t4) => sendConfirmation(b, email, t4),
              ),
            (t) =>
              grpcCall(b, order, t, 'cart-service', 'cart.CartService', 'EmptyCart', (cart, t4) =>
                redisCommand(b, cart, t4, 'DEL', `cart:${b.random.hex(8)}`),
              ),
          ]);
        }),
      ),
  );
  return { producer };
};

/**
 * shipping-service consuming the `orders` topic: a trace of its own (the consumer runs later, on its
 * own schedule), whose root CONSUMER span links to the checkout's publish, per the OTel messaging
 * conventions for asynchronous processing.
 */
export function shipOrder(b: DemoTraceBuilder, producer: Span, startUs: Micros): void {
  const orderKey = producer.attributes.find((a) => a.key === 'messaging.kafka.message.key')?.value;
  const root = b.open(null, startUs, {
    service: 'shipping-service',
    name: 'orders process',
    kind: 'CONSUMER',
    instrumentation: 'kafka',
    attributes: [
      attr.str('messaging.system', 'kafka'),
      attr.str('messaging.destination.name', 'orders'),
      attr.str('messaging.operation', 'process'),
      attr.str('messaging.kafka.consumer.group', 'shipping-service'),
      attr.int('messaging.kafka.destination.partition', b.random.int(0, 5)),
      attr.int('messaging.kafka.message.offset', b.random.int(100_000, 999_999)),
      attr.str('messaging.kafka.message.key', typeof orderKey === 'string' ? orderKey : 'unknown'),
    ],
  });
  root.links.push({ traceId: producer.traceId, spanId: producer.spanId, refType: null, attributes: [attr.str('messaging.operation', 'publish')] });
  const work = sequence(b, startUs + b.random.latencyUs(100, 800), [
    (t) =>
      sqlQuery(b, root, t, {
        dbName: 'shipping',
        operation: 'INSERT',
        table: 'shipments',
        statement: 'INSERT INTO shipments (id, order_id, carrier, status) VALUES ($1, $2, $3, $4)',
        durationUs: b.random.latencyUs(900, 9_000),
      }),
    (t) =>
      grpcCall(b, root, t, 'inventory-service', 'inventory.InventoryService', 'CommitReservation', (inventory, t2) =>
        sqlQuery(b, inventory, t2, {
          dbName: 'inventory',
          operation: 'UPDATE',
          table: 'stock',
          statement: 'UPDATE stock SET available = available - reserved, reserved = 0 WHERE sku = ANY($1)',
          durationUs: b.random.latencyUs(900, 9_000),
        }),
      ),
    (t) =>
      internalStep(b, root, t, 'create shipping label', b.random.latencyUs(5_000, 60_000), [
        attr.str('app.carrier', b.random.pick(['dhl', 'ups', 'postnl'])),
      ]),
  ]);
  b.close(root, work.endUs);
}
