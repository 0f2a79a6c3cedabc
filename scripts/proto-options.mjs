// One place for the proto-loader options: the runtime loader and the type
// generator must agree, or the generated types lie about what arrives.
export const loaderOptions = {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
};

export const genTypeArgs = [
  '--keepCase',
  '--longs=Number',
  '--enums=String',
  '--defaults',
  '--oneofs',
  '--grpcLib=@grpc/grpc-js',
  '--importFileExtension=.js',
];
