// Original file: protos/chat.proto


export interface ServerInfoRequest {
}

export interface ServerInfoRequest__Output {
}
